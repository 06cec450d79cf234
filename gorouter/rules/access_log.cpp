#include "gorouter/rules/access_log.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "gorouter/rules/go_quote.h"
#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

constexpr std::size_t kSmallBytesLimit = 1'000;
constexpr std::size_t kLargeBytesLimit = 20'000;

// Go's Duration.Seconds(): whole seconds plus the remainder, each converted on its own.
double seconds(std::chrono::nanoseconds d) {
  const auto whole = d.count() / 1'000'000'000;
  const auto rest = d.count() % 1'000'000'000;
  return static_cast<double>(whole) + static_cast<double>(rest) / 1e9;
}

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

std::string truncate_to_size(std::string value, std::string_view name, std::size_t limit) {
  const std::string marker = fmt::format("...{}-TOO-LONG-TO-LOG--TRUNCATED", to_upper(name));
  while (value.size() > limit) value = value.substr(0, value.size() / 2) + marker;
  return value;
}

class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) {}

  void spaces(bool on) { spaces_ = on; }
  void raw(std::string_view s) { out_.append(s); }
  void quoted(std::string_view s) {
    append_go_quoted(out_, s);
    space();
  }
  void dash_or_quoted(std::string_view s) { quoted(s.empty() ? std::string_view("-") : s); }
  void dash_or_int(std::int64_t v) {
    if (v == 0) {
      out_ += "\"-\"";
    } else {
      out_ += std::to_string(v);
    }
    space();
  }
  void integer(std::int64_t v) {
    out_ += std::to_string(v);
    space();
  }
  void dash_or_seconds(double v) {
    if (v >= 0) {
      out_ += fmt::format("{:.6f}", v);
    } else {
      out_ += "\"-\"";
    }
    space();
  }

 private:
  void space() {
    if (spaces_) out_.push_back(' ');
  }

  std::string& out_;
  bool spaces_ = false;
};

// The Host was validated by the parser; any byte that could still break the line is escaped.
void append_host(std::string& out, std::string_view host) {
  for (char c : host) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F) {
      out.push_back(c);
    } else {
      out += fmt::format("\\x{:02x}", b);
    }
  }
}

std::string logged_uri(const AccessLogRecord& r, const AccessLogOptions& o) {
  const std::size_t q = r.request_uri.find('?');
  if (o.redact_query_params == RedactQueryParams::All && r.method == "GET" &&
      q != std::string::npos && q + 1 < r.request_uri.size()) {
    return r.request_uri.substr(0, q);
  }
  return r.request_uri;
}

double gorouter_time(const AccessLogRecord& r) {
  // gorouter leaves this at 0 when no backend answered, and at -1 when a span is negative.
  if (!r.endpoint || !r.app_request_started_at || !r.app_request_finished_at) return 0;
  const double total = seconds(r.finished_at - r.received_at);
  const double app = seconds(*r.app_request_finished_at - *r.app_request_started_at);
  return total >= 0 && app >= 0 ? total - app : -1;
}

std::string extra_header_name(std::string_view header) {
  std::string name = to_lower(header);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace

std::vector<std::string> headers_to_log(const AccessLogOptions& options) {
  std::vector<std::string> names;
  auto add = [&names](std::string_view name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
  };
  for (const std::string& name : options.extra_headers_to_log) add(name);
  if (options.tracing.enable_zipkin) {
    for (std::string_view name : {"x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "b3"}) {
      add(name);
    }
  }
  if (options.tracing.enable_w3c) {
    for (std::string_view name : {"traceparent", "tracestate"}) add(name);
  }
  return names;
}

std::string format_access_log(const AccessLogRecord& r, const AccessLogOptions& o, bool truncate) {
  auto header = [&](std::string_view name) {
    std::string value(header_value(r.headers, name));
    return truncate ? truncate_to_size(std::move(value), name, kSmallBytesLimit) : value;
  };
  std::string uri = logged_uri(r, o);
  if (truncate) uri = truncate_to_size(std::move(uri), "request-uri", kLargeBytesLimit);

  std::string out;
  out.reserve(512);
  append_host(out, r.host);
  out += " - [" + format_rfc3339(r.received_at, true) + "] ";

  LineWriter w(out);
  w.spaces(true);
  w.quoted(fmt::format("{} {} {}", r.method, uri, r.protocol));
  w.dash_or_int(r.status);
  w.integer(r.request_bytes_received);
  w.integer(r.body_bytes_sent);
  w.dash_or_quoted(header(kReferer));
  w.dash_or_quoted(header(kUserAgent));
  w.dash_or_quoted(o.disable_log_source_ip ? std::string_view() : r.remote_addr);
  w.dash_or_quoted(r.endpoint ? std::string_view(r.endpoint->address) : std::string_view());
  w.raw("x_forwarded_for:");
  w.dash_or_quoted(o.disable_log_forwarded_for ? std::string() : header(kXForwardedFor));
  w.raw("x_forwarded_proto:");
  w.dash_or_quoted(header(kXForwardedProto));
  w.raw("vcap_request_id:");
  w.dash_or_quoted(header_value(r.headers, kXVcapRequestId));
  w.raw("response_time:");
  w.dash_or_seconds(seconds(r.finished_at - r.received_at));
  w.raw("gorouter_time:");
  w.dash_or_seconds(gorouter_time(r));
  w.raw("app_id:");
  w.dash_or_quoted(r.endpoint ? std::string_view(r.endpoint->app_id) : std::string_view());
  w.raw("app_index:");
  w.dash_or_quoted(r.endpoint ? std::string_view(r.endpoint->instance_index) : std::string_view());
  w.raw("instance_id:");
  w.dash_or_quoted(r.endpoint ? std::string_view(r.endpoint->instance_id) : std::string_view());
  w.spaces(false);
  w.raw("x_cf_routererror:");
  w.dash_or_quoted(r.router_error);

  const std::vector<std::string> extra = headers_to_log(o);
  if (extra.empty()) return out;
  std::string section;
  LineWriter hw(section);
  hw.spaces(true);
  for (std::size_t i = 0; i < extra.size(); ++i) {
    const std::string name = extra_header_name(extra[i]);
    const std::string_view value = header_value(r.headers, extra[i]);
    const std::size_t length = name.size() + value.size() + 4 + (value.empty() ? 3 : 0);
    if (truncate && section.size() + length >= kLargeBytesLimit) {
      section += "...EXTRA-REQUEST-HEADERS-TOO-LONG-TO-LOG--TRUNCATED";
      break;
    }
    hw.raw(name);
    hw.raw(":");
    if (i + 1 == extra.size()) hw.spaces(false);
    hw.dash_or_quoted(value);
  }
  out.push_back(' ');
  out += section;
  return out;
}

}  // namespace cupola::router::rules
