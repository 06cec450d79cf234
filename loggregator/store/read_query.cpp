#include "loggregator/store/read_query.h"

#include <charconv>
#include <string>

#include <fmt/format.h>

namespace cupola::logstore {
namespace {

Error invalid(std::string message) { return make_error(Errc::InvalidArgument, std::move(message)); }

// Decodes %XX escapes and '+' (a space in form-encoded queries); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] != '%') {
      out += s[i];
    } else {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex(s[i + 1]);
      int lo = hex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

Result<std::int64_t> parse_int64(std::string_view name, std::string_view value) {
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
    return invalid(
        fmt::format("{} must be a Unix time in nanoseconds (a decimal integer), got {:?}", name,
                    value.substr(0, 64)));
  }
  return out;
}

Status parse_types(std::string_view value, EnvelopeTypeSet& types) {
  while (true) {
    auto comma = value.find(',');
    auto name = value.substr(0, comma);
    if (name == "ANY") {
      // log-cache drops ANY from the list: alone it means every type, beside others nothing.
    } else if (auto type = loggregator::parse_envelope_type(name)) {
      types.add(*type);
    } else {
      return invalid(
          fmt::format("envelope_types must be LOG, COUNTER, GAUGE, TIMER, EVENT or ANY, got {:?}",
                      name.substr(0, 64)));
    }
    if (comma == std::string_view::npos) return {};
    value.remove_prefix(comma + 1);
  }
}

Status apply(ReadQuery& q, std::string_view key, std::string_view value) {
  if (key == "start_time") {
    auto t = parse_int64(key, value);
    if (!t) return std::move(t).error();
    q.start_time = *t < 0 ? 0 : *t;
  } else if (key == "end_time") {
    auto t = parse_int64(key, value);
    if (!t) return std::move(t).error();
    q.end_time = *t;
  } else if (key == "limit") {
    int limit = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
    bool number = !value.empty() && ec == std::errc{} && end == value.data() + value.size();
    if (number && limit == 0) limit = kDefaultReadLimit;
    if (!number || limit < 1 || limit > kMaxReadLimit) {
      return invalid(fmt::format("limit must be between 1 and {}, got {:?}", kMaxReadLimit,
                                 value.substr(0, 64)));
    }
    q.limit = limit;
  } else if (key == "descending") {
    if (value.empty() || value == "true" || value == "1") {
      q.descending = true;
    } else if (value == "false" || value == "0") {
      q.descending = false;
    } else {
      return invalid(
          fmt::format("descending must be true or false, got {:?}", value.substr(0, 64)));
    }
  } else if (key == "envelope_types") {
    return parse_types(value, q.envelope_types);
  }
  return {};
}

}  // namespace

Status validate(const ReadQuery& q) {
  if (q.limit < 1 || q.limit > kMaxReadLimit) {
    return invalid(fmt::format("limit must be between 1 and {}, got {}", kMaxReadLimit, q.limit));
  }
  if (q.end_time && q.start_time > *q.end_time) {
    return invalid(
        fmt::format("start_time ({}) must not be after end_time ({})", q.start_time, *q.end_time));
  }
  return {};
}

Result<ReadQuery> parse_read_query(std::string_view query) {
  if (!query.empty() && query.front() == '?') query.remove_prefix(1);
  ReadQuery q;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = url_decode(pair.substr(0, eq));
    auto value =
        url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) {
      return invalid(fmt::format("malformed percent-encoding in {:?}", pair.substr(0, 64)));
    }
    if (auto s = apply(q, *key, *value); !s) return std::move(s).error();
  }
  if (auto s = validate(q); !s) return std::move(s).error();
  return q;
}

}  // namespace cupola::logstore
