#include "common/core/time.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

namespace cupola {
namespace {

using namespace std::chrono;

Error bad_time(std::string_view s, std::string_view why) {
  return make_error(Errc::InvalidArgument, fmt::format("invalid RFC 3339 time \"{}\": {}", s, why));
}

// Reads exactly n digits at s[pos], advancing pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || (std::toupper(static_cast<unsigned char>(s[pos])) != c)) return false;
  ++pos;
  return true;
}

}  // namespace

std::string format_rfc3339(TimePoint t, bool fractional) {
  auto secs = floor<seconds>(t);
  auto days = floor<std::chrono::days>(secs);
  year_month_day ymd{days};
  hh_mm_ss hms{secs - days};
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", int(ymd.year()),
                                unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                                hms.minutes().count(), hms.seconds().count());
  if (fractional) {
    auto ns = duration_cast<nanoseconds>(t - secs).count();
    out += fmt::format(".{:09}", ns);
  }
  out += 'Z';
  return out;
}

Result<TimePoint> parse_rfc3339(std::string_view s) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, pos, 4, y) || !expect(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
      !expect(s, pos, '-') || !read_digits(s, pos, 2, d)) {
    return bad_time(s, "expected a date as YYYY-MM-DD");
  }
  if (!expect(s, pos, 'T') || !read_digits(s, pos, 2, h) || !expect(s, pos, ':') ||
      !read_digits(s, pos, 2, mi) || !expect(s, pos, ':') || !read_digits(s, pos, 2, sec)) {
    return bad_time(s, "expected a time as THH:MM:SS");
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad_time(s, "no such date");
  if (h > 23 || mi > 59 || sec > 60) return bad_time(s, "time of day out of range");
  nanoseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::int64_t scale = 100'000'000;
    std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      frac += nanoseconds{(s[pos] - '0') * scale};
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad_time(s, "expected digits after '.'");
  }
  seconds offset{0};
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!read_digits(s, pos, 2, oh) || !expect(s, pos, ':') || !read_digits(s, pos, 2, om) ||
        oh > 23 || om > 59) {
      return bad_time(s, "expected a zone offset as +HH:MM");
    }
    offset = seconds{sign * (oh * 3600 + om * 60)};
  } else {
    return bad_time(s, "expected 'Z' or a zone offset");
  }
  if (pos != s.size()) return bad_time(s, "unexpected text after the time");
  auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} - offset;
  return TimePoint{duration_cast<TimePoint::duration>(tp.time_since_epoch() + frac)};
}

Result<std::chrono::nanoseconds> parse_duration(std::string_view s) {
  auto fail = [&](std::string_view why) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("invalid duration \"{}\": {} (use e.g. \"30s\", \"1m30s\", "
                                  "\"500ms\")",
                                  s, why));
  };
  if (s == "0") return nanoseconds{0};
  if (s.empty()) return fail("empty");
  if (s.front() == '-') return fail("must not be negative");
  if (s.front() == '+') s.remove_prefix(1);
  long double total = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t start = pos;
    long double value = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      value = value * 10 + (s[pos] - '0');
      ++pos;
    }
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      long double scale = 0.1L;
      while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
        value += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
    if (pos == start) return fail("expected a number");
    std::size_t unit_start = pos;
    while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
    std::string_view unit = s.substr(unit_start, pos - unit_start);
    long double ns_per = 0;
    if (unit == "ns")
      ns_per = 1;
    else if (unit == "us" || unit == "µs")
      ns_per = 1e3L;
    else if (unit == "ms")
      ns_per = 1e6L;
    else if (unit == "s")
      ns_per = 1e9L;
    else if (unit == "m")
      ns_per = 60e9L;
    else if (unit == "h")
      ns_per = 3600e9L;
    else if (unit.empty())
      return fail("missing unit (ns, us, ms, s, m or h)");
    else
      return fail(fmt::format("unknown unit \"{}\"", unit));
    total += value * ns_per;
    if (total > 9.2e18L) return fail("too large");
  }
  return nanoseconds{static_cast<std::int64_t>(total + 0.5L)};
}

std::string format_duration(std::chrono::nanoseconds d) {
  auto n = d.count();
  if (n == 0) return "0s";
  std::string out;
  if (n < 0) {
    out = "-";
    n = -n;
  }
  if (n < 1'000) return out + fmt::format("{}ns", n);
  if (n < 1'000'000) return out + fmt::format("{:g}us", n / 1e3);
  if (n < 1'000'000'000) return out + fmt::format("{:g}ms", n / 1e6);
  auto h = n / 3'600'000'000'000LL;
  n %= 3'600'000'000'000LL;
  auto m = n / 60'000'000'000LL;
  n %= 60'000'000'000LL;
  if (h) out += fmt::format("{}h", h);
  if (h || m) out += fmt::format("{}m", m);
  out += fmt::format("{:g}s", n / 1e9);
  return out;
}

}  // namespace cupola
