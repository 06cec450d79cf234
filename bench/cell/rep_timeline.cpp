#include "bench/cell/rep_timeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "common/core/time.h"
#include "common/json/json.h"

namespace cupola::bench {
namespace {

std::string string_member(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

int int_member(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsInt() ? it->value.GetInt() : 0;
}

std::int64_t unix_ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

RepTimeline read_rep_lines(const std::vector<std::string>& lines, std::size_t from,
                           const std::string& process_guid) {
  RepTimeline out;
  std::map<std::string, std::int64_t> created;  // by container handle (the instance guid)
  for (std::size_t i = from; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    // Most lines are neither; skip them before parsing.
    const bool perform = line.find("\"rep.cell.perform\"") != std::string::npos;
    const bool made = line.find("\"rep.garden-runc.create.created\"") != std::string::npos;
    const bool running = line.find("\"rep.cell.instance-running\"") != std::string::npos;
    if (!perform && !made && !running) continue;
    auto doc = json::parse(line);
    if (!doc || !doc->IsObject() || !doc->HasMember("data") || !(*doc)["data"].IsObject()) {
      continue;
    }
    auto at = parse_rfc3339(string_member(*doc, "timestamp"));
    if (!at) continue;
    const json::Value& data = (*doc)["data"];
    if (perform) {
      Perform p{unix_ns(*at), int_member(data, "lrps"), int_member(data, "refused")};
      if (p.lrps > 0) out.performs.push_back(p);
    } else if (made) {
      created.emplace(string_member(data, "handle"), unix_ns(*at));
    } else if (string_member(data, "process_guid") == process_guid) {
      InstanceTimes t;
      t.process_guid = process_guid;
      t.index = int_member(data, "index");
      t.instance_guid = string_member(data, "instance_guid");
      t.running_ns = unix_ns(*at);
      if (auto it = created.find(t.instance_guid); it != created.end()) t.created_ns = it->second;
      out.instances.push_back(std::move(t));
    }
  }
  return out;
}

void read_container_log(std::string_view text, InstanceTimes& times) {
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const bool monitor = line.find("Starting health monitoring") != std::string_view::npos;
    const bool healthy = line.find("Container became healthy") != std::string_view::npos;
    if (!monitor && !healthy) continue;
    auto doc = json::parse(line);
    if (!doc || !doc->IsObject()) continue;
    auto it = doc->FindMember("timestamp");
    if (it == doc->MemberEnd() || !it->value.IsInt64()) continue;
    std::int64_t& slot = monitor ? times.monitor_ns : times.healthy_ns;
    if (slot == 0) slot = it->value.GetInt64();
  }
}

double ms_between(std::int64_t from_ns, std::int64_t to_ns) {
  if (from_ns == 0 || to_ns == 0) return -1;
  return static_cast<double>(to_ns - from_ns) / 1e6;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

}  // namespace cupola::bench
