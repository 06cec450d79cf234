#include "cli/src/commands/app_flow.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "cli/src/commands/lookup.h"
#include "cli/src/log_line.h"

namespace cupola::cli {
namespace {

using namespace std::chrono_literals;

std::chrono::minutes minutes_from_env(const char* name, int fallback) {
  const char* v = std::getenv(name);
  int n = v != nullptr ? std::atoi(v) : 0;
  return std::chrono::minutes(n > 0 ? n : fallback);
}

// Prints the STG lines the log store has for the app from `cursor` on; moves the cursor.
void print_staging_logs(Session& s, const std::string& app_guid, long long& cursor) {
  if (s.config.log_cache_url.empty()) return;
  auto lines = read_logs(s, log_read_path(s, app_guid, cursor, false, 1000));
  if (!lines) return;  // staging goes on; its logs are a courtesy
  int offset = local_utc_offset_minutes(std::time(nullptr));
  for (const auto& e : *lines) {
    cursor = std::max<long long>(cursor, e.timestamp_ns + 1);
    if (e.source_type == "STG") say_log_line(s, e, offset);
  }
}

std::string process_line(const json::Value& process, const json::Value& stats) {
  int running = 0;
  for (const auto& i : stats.GetArray()) running += str(i, "state") == "RUNNING" ? 1 : 0;
  int desired = process.HasMember("instances") ? process["instances"].GetInt() : 0;
  return std::to_string(running) + "/" + std::to_string(desired);
}

std::string routes_of(Session& s, const std::string& app_guid) {
  auto routes = s.cc().list("/v3/apps/" + app_guid + "/routes");
  std::string out;
  if (!routes) return out;
  for (const auto& r : routes->GetArray()) out += (out.empty() ? "" : ", ") + str(r, "url");
  return out;
}

std::string last_uploaded(const std::string& rfc3339) {
  std::tm tm{};
  if (rfc3339.empty() || ::strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return "";
  }
  std::time_t t = ::timegm(&tm);
  std::tm local{};
  ::localtime_r(&t, &local);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %d %b %H:%M:%S %Z %Y", &local);
  return buf;
}

}  // namespace

long long now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::vector<LogEnvelope>> read_logs(Session& s, const std::string& path) {
  auto body = s.cc().text("GET", path);
  if (!body) return std::move(body).error();
  std::vector<LogEnvelope> lines;
  if (body->empty()) return lines;
  std::string error;
  if (!parse_log_envelopes(*body, lines, error)) {
    return Error{make_error_code(Errc::Internal), "The log store's answer: " + error};
  }
  return lines;
}

std::string log_read_path(Session& s, const std::string& app_guid, long long start_ns,
                          bool descending, int limit) {
  return s.config.log_cache_url + "/api/v1/read/" + app_guid +
         "?envelope_types=LOG&start_time=" + std::to_string(start_ns) +
         "&limit=" + std::to_string(limit) + (descending ? "&descending=true" : "");
}

Result<std::string> stage_package(Session& s, const std::string& app_guid,
                                  const std::string& app_name, const std::string& package_guid) {
  long long cursor = now_ns() - 1'000'000'000LL;
  auto build = s.cc().post("/v3/builds", R"({"package": {"guid": ")" + package_guid + R"("}})");
  if (!build) return std::move(build).error();
  std::string guid = str(*build, "guid");
  s.ui.say("Staging app and tracing logs...");
  auto deadline = std::chrono::steady_clock::now() + minutes_from_env("CF_STAGING_TIMEOUT", 15);
  while (true) {
    print_staging_logs(s, app_guid, cursor);
    auto b = s.cc().get("/v3/builds/" + guid);
    if (!b) return std::move(b).error();
    std::string state = str(*b, "state");
    if (state == "STAGED") {
      print_staging_logs(s, app_guid, cursor);
      const json::Value* droplet = at(*b, {"droplet", "guid"});
      if (droplet == nullptr || !droplet->IsString()) {
        return Error{make_error_code(Errc::Internal), "The build is STAGED without a droplet"};
      }
      return std::string(droplet->GetString());
    }
    if (state == "FAILED") {
      print_staging_logs(s, app_guid, cursor);
      std::string error = str(*b, "error");
      if (error.find("NoAppDetectedError") != std::string::npos) {
        return Error{make_error_code(Errc::InvalidArgument),
                     "Error staging application: An app was not successfully detected by any "
                     "available buildpack\nTIP: Use 'cupola buildpacks' to see a list of "
                     "supported buildpacks."};
      }
      return Error{make_error_code(Errc::InvalidArgument),
                   "Error staging application: " + error + "\nTIP: Use 'cupola logs " + app_name +
                       " --recent' for more information"};
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Error{make_error_code(Errc::Timeout),
                   "Staging did not finish in time; set CF_STAGING_TIMEOUT (minutes) to wait "
                   "longer\nTIP: Use 'cupola logs " +
                       app_name + " --recent' for more information"};
    }
    std::this_thread::sleep_for(250ms);  // bounded by the deadline
  }
}

Result<void> wait_for_instances(Session& s, const std::string& app_guid,
                                const std::string& app_name) {
  s.ui.say("Waiting for app " + s.ui.cyan(app_name) + " to start...\n");
  auto deadline = std::chrono::steady_clock::now() + minutes_from_env("CF_STARTUP_TIMEOUT", 5);
  int polls = 0;
  while (true) {
    auto processes = s.cc().list("/v3/apps/" + app_guid + "/processes");
    if (!processes) return std::move(processes).error();
    bool stable = true;
    for (const auto& p : processes->GetArray()) {
      auto stats = s.cc().get("/v3/processes/" + str(p, "guid") + "/stats");
      if (!stats) return std::move(stats).error();
      const json::Value& all = (*stats)["resources"];
      if (all.Empty()) continue;
      bool running = false, crashed = true;
      std::string details;
      for (const auto& i : all.GetArray()) {
        running = running || str(i, "state") == "RUNNING";
        crashed = crashed && str(i, "state") == "CRASHED";
        if (details.empty()) details = str(i, "details");
      }
      if (crashed) {
        return Error{make_error_code(Errc::Internal),
                     "Start unsuccessful\n\nTIP: use 'cupola logs " + app_name +
                         " --recent' for more information"};
      }
      if (!running) {
        stable = false;
        if (!details.empty()) s.ui.say("Error starting instances: '" + details + "'");
      }
    }
    if (stable) {
      s.ui.say("");
      return {};
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Error{make_error_code(Errc::Timeout),
                   "Start app timeout\n\nTIP: Application must be listening on the right port. "
                   "Instead of hard coding the port, use the $PORT environment variable."};
    }
    if (polls++ % 8 == 0) s.ui.say("Instances starting...");  // every 2 s
    std::this_thread::sleep_for(250ms);                       // bounded by the deadline
  }
}

Result<void> show_app_summary(Session& s, const std::string& app_guid) {
  auto app = s.cc().get("/v3/apps/" + app_guid);
  if (!app) return std::move(app).error();
  std::string state = str(*app, "state");
  for (auto& c : state) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  KeyValues head = {
      {"name", str(*app, "name")}, {"requested state", state}, {"routes", routes_of(s, app_guid)}};
  auto droplet = s.cc().call("GET", "/v3/apps/" + app_guid + "/droplets/current");
  std::string buildpacks_table;
  if (droplet && droplet->body.IsObject()) {
    head.push_back({"last uploaded", last_uploaded(str(droplet->body, "created_at"))});
    head.push_back({"stack", str(droplet->body, "stack")});
    Table bps = {{"name", "version", "detect output", "buildpack name"}};
    if (const json::Value* list = at(droplet->body, {"buildpacks"}); list && list->IsArray()) {
      for (const auto& b : list->GetArray()) {
        bps.push_back(
            {str(b, "name"), str(b, "version"), str(b, "detect_output"), str(b, "buildpack_name")});
      }
    }
    buildpacks_table = render_table(bps, s.ui.color());
  } else {
    head.push_back({"last uploaded", ""});
    head.push_back({"stack", ""});
  }
  head.push_back({"buildpacks", ""});
  s.ui.key_values(head);
  if (!buildpacks_table.empty()) {
    std::string indented;
    std::size_t start = 0;
    while (start < buildpacks_table.size()) {
      auto end = buildpacks_table.find('\n', start);
      if (end == std::string::npos) end = buildpacks_table.size();
      indented += "\t" + buildpacks_table.substr(start, end - start) + "\n";
      start = end + 1;
    }
    s.ui.say(indented.substr(0, indented.size() - 1));
  }
  auto processes = s.cc().list("/v3/apps/" + app_guid + "/processes");
  if (!processes) return std::move(processes).error();
  std::time_t now = std::time(nullptr);
  for (const auto& p : processes->GetArray()) {
    auto stats = s.cc().get("/v3/processes/" + str(p, "guid") + "/stats");
    if (!stats) return std::move(stats).error();
    const json::Value& all = (*stats)["resources"];
    s.ui.say("");
    s.ui.key_values({{"type", str(p, "type")},
                     {"sidecars", ""},
                     {"instances", process_line(p, all)},
                     {"memory usage", std::to_string(p["memory_in_mb"].GetInt64()) + "M"}});
    if (all.Empty() || str(*app, "state") == "STOPPED") {
      s.ui.say("There are no running instances of this process.");
      continue;
    }
    Table rows = {{"", "state", "since", "cpu", "memory", "disk", "details"}};
    for (const auto& i : all.GetArray()) {
      std::string st = str(i, "state");
      for (auto& c : st) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const json::Value* usage = at(i, {"usage"});
      auto num = [&](const char* k) -> std::uint64_t {
        return usage && usage->HasMember(k) && (*usage)[k].IsNumber()
                   ? static_cast<std::uint64_t>((*usage)[k].GetDouble())
                   : 0;
      };
      double cpu = usage && usage->HasMember("cpu") && (*usage)["cpu"].IsNumber()
                       ? (*usage)["cpu"].GetDouble() * 100
                       : 0;
      char cpu_text[32];
      std::snprintf(cpu_text, sizeof cpu_text, "%.1f%%", cpu);
      auto quota = [&](const char* k) -> std::uint64_t {
        return i.HasMember(k) && i[k].IsNumber() ? static_cast<std::uint64_t>(i[k].GetDouble()) : 0;
      };
      std::int64_t uptime =
          i.HasMember("uptime") && i["uptime"].IsInt64() ? i["uptime"].GetInt64() : 0;
      rows.push_back({"#" + std::to_string(i["index"].GetInt()), st,
                      st == "running" ? format_uptime_since(now, uptime) : "", cpu_text,
                      format_bytes(num("mem")) + " of " + format_bytes(quota("mem_quota")),
                      format_bytes(num("disk")) + " of " + format_bytes(quota("disk_quota")),
                      str(i, "details")});
    }
    s.ui.table(rows);
  }
  return {};
}

Result<std::optional<std::string>> newest_ready_package(Session& s, const std::string& app_guid) {
  auto packages = s.cc().get("/v3/packages?app_guids=" + app_guid +
                             "&states=READY&order_by=-created_at&per_page=1");
  if (!packages) return std::move(packages).error();
  const json::Value& list = (*packages)["resources"];
  if (list.Empty()) return std::optional<std::string>();
  return std::optional<std::string>(str(list[0], "guid"));
}

}  // namespace cupola::cli
