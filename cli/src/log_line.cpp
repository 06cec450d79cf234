#include "cli/src/log_line.h"

#include <charconv>
#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "cli/src/ui.h"
#include "common/core/base64.h"
#include "common/json/json.h"

namespace cupola::cli {
namespace {

// A response with thousands of bad envelopes would otherwise make an error of pages.
constexpr std::size_t kMaxReportedProblems = 3;

std::string_view string_of(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Protobuf's JSON form writes int64 as a decimal string; the NATS wire as a number.
void read_timestamp(json::ObjectReader& envelope, std::int64_t& out) {
  const json::Value* v = envelope.find("timestamp");
  if (!v || v->IsNull()) return;
  if (v->IsInt64()) {
    out = v->GetInt64();
    return;
  }
  if (v->IsString()) {
    std::string_view s = string_of(*v);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return;
  }
  envelope.problem("timestamp", fmt::format("expected an integer or a decimal string, got {}",
                                            v->IsString() ? fmt::format("\"{}\"", string_of(*v))
                                                          : std::string(json::type_name(*v))));
}

void read_type(json::ObjectReader& log, bool& is_error) {
  const json::Value* v = log.find("type");
  if (!v || v->IsNull()) return;  // protobuf's JSON form leaves out the default, OUT
  if (v->IsString() && (string_of(*v) == "OUT" || string_of(*v) == "ERR")) {
    is_error = string_of(*v) == "ERR";
    return;
  }
  if (v->IsInt() && (v->GetInt() == 0 || v->GetInt() == 1)) {
    is_error = v->GetInt() == 1;
    return;
  }
  log.problem("type", fmt::format("expected \"OUT\", \"ERR\", 0 or 1, got {}",
                                  v->IsString() ? fmt::format("\"{}\"", string_of(*v))
                                                : json::to_string(*v)));
}

std::string summarize(const std::vector<std::string>& problems) {
  std::string out;
  for (std::size_t i = 0; i < problems.size() && i < kMaxReportedProblems; ++i) {
    if (i > 0) out += "; ";
    out += problems[i];
  }
  if (problems.size() > kMaxReportedProblems) {
    out += fmt::format("; and {} more", problems.size() - kMaxReportedProblems);
  }
  return out;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

bool parse_log_envelopes(std::string_view json_body, std::vector<LogEnvelope>& out,
                         std::string& error) {
  if (json_body.size() > kMaxLogResponseBytes) {
    error = fmt::format("log response of {} bytes is larger than the limit of {} MiB",
                        json_body.size(), kMaxLogResponseBytes >> 20);
    return false;
  }
  auto doc = json::parse(json_body, json::ParseLimits{kMaxLogResponseBytes, 64});
  if (!doc) {
    error = doc.error().message;
    return false;
  }
  json::ObjectReader root(*doc);
  json::ObjectReader envelopes = root.object("envelopes");
  const json::Value* batch = envelopes.find("batch");
  if (batch && !batch->IsNull() && !batch->IsArray()) {
    envelopes.problem("batch", fmt::format("expected an array, got {}", json::type_name(*batch)));
  }
  if (!root.ok()) {
    error = summarize(root.problems());
    return false;
  }
  if (!batch || batch->IsNull()) return true;

  std::vector<LogEnvelope> logs;
  logs.reserve(batch->Size());
  for (rapidjson::SizeType i = 0; i < batch->Size(); ++i) {
    json::ObjectReader envelope((*batch)[i], fmt::format("envelopes.batch[{}]", i), root);
    const json::Value* log_value = envelope.find("log");
    if (!log_value || log_value->IsNull()) continue;  // a counter, gauge, timer or event

    LogEnvelope e;
    read_timestamp(envelope, e.timestamp_ns);
    envelope.optional("instance_id", e.instance_id);
    envelope.object("tags").optional("source_type", e.source_type);
    json::ObjectReader log = envelope.object("log");
    std::string payload;
    if (log.optional("payload", payload)) {
      auto decoded = base64_decode(payload);
      if (decoded) {
        e.message = std::move(*decoded);
      } else {
        log.problem("payload", "is not base64");
      }
    }
    read_type(log, e.is_error);
    logs.push_back(std::move(e));
  }
  if (!root.ok()) {
    error = summarize(root.problems());
    return false;
  }
  out.insert(out.end(), std::make_move_iterator(logs.begin()), std::make_move_iterator(logs.end()));
  return true;
}

std::string format_log_timestamp(std::int64_t timestamp_ns, int utc_offset_minutes) {
  using namespace std::chrono;
  // In whole seconds first, so that no timestamp an int64 holds overflows with the offset.
  std::int64_t secs = floor_div(timestamp_ns, 1'000'000'000);
  std::int64_t nanos = timestamp_ns - secs * 1'000'000'000;
  sys_seconds wall{seconds(secs + std::int64_t{utc_offset_minutes} * 60)};
  auto day = floor<days>(wall);
  year_month_day ymd{day};
  hh_mm_ss hms{wall - day};
  int offset = utc_offset_minutes < 0 ? -utc_offset_minutes : utc_offset_minutes;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:02}{}{:02}{:02}", int(ymd.year()),
                     unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), nanos / 10'000'000,
                     utc_offset_minutes < 0 ? '-' : '+', offset / 60, offset % 60);
}

std::string format_log_line(const LogEnvelope& e, bool color, int utc_offset_minutes) {
  std::string header =
      fmt::format("{} [{}/{}] {} ", format_log_timestamp(e.timestamp_ns, utc_offset_minutes),
                  e.source_type, e.instance_id, e.is_error ? "ERR" : "OUT");
  std::string_view message = e.message;
  if (message.ends_with('\n')) message.remove_suffix(1);

  std::string out;
  while (true) {
    std::size_t nl = message.find('\n');
    std::string_view line = message.substr(0, nl);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
    out += "   ";
    out += colorize(header + std::string(line), kRed, color && e.is_error);
    out += '\n';
    if (nl == std::string_view::npos) break;
    message.remove_prefix(nl + 1);
  }
  return out;
}

int local_utc_offset_minutes(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm local{};
  if (!::localtime_r(&t, &local)) return 0;
  return static_cast<int>(local.tm_gmtoff / 60);
}

}  // namespace cupola::cli
