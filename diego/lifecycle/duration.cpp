#include "diego/lifecycle/duration.h"

#include <cstdint>
#include <limits>

#include "diego/lifecycle/errors.h"

namespace cupola::lifecycle {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

constexpr Unit kUnits[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // U+00B5 micro sign
    {"\xCE\xBCs", 1'000},  // U+03BC Greek mu
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// `value` with `digits` decimal places, trailing zeros of the fraction dropped.
std::string decimal(std::int64_t value, int digits) {
  std::int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  std::string out = std::to_string(value / scale);
  std::int64_t frac = value % scale;
  if (frac == 0) return out;
  std::string f(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i) {
    f[static_cast<std::size_t>(i)] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  while (f.back() == '0') f.pop_back();
  return out + "." + f;
}

}  // namespace

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  auto invalid = [&](std::string why) { return invalid_argument(why + " in duration " + quoted); };
  std::string_view s = text;
  if (s == "0") return std::chrono::nanoseconds{0};
  if (s.empty()) return invalid_argument("empty duration");
  if (s.front() == '-') return invalid("negative value");
  if (s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return invalid_argument("invalid duration " + quoted);

  std::int64_t total = 0;
  while (!s.empty()) {
    // A number: digits, optionally a fraction.
    std::int64_t whole = 0;
    bool whole_digits = false;
    bool overflow = false;
    while (!s.empty() && is_digit(s.front())) {
      if (whole > (kMax - 9) / 10) overflow = true;
      if (!overflow) whole = whole * 10 + (s.front() - '0');
      whole_digits = true;
      s.remove_prefix(1);
    }
    std::string_view fraction;
    if (!s.empty() && s.front() == '.') {
      s.remove_prefix(1);
      std::size_t n = 0;
      while (n < s.size() && is_digit(s[n])) ++n;
      fraction = s.substr(0, n);
      s.remove_prefix(n);
    }
    if (!whole_digits && fraction.empty()) return invalid_argument("invalid duration " + quoted);
    if (overflow) return invalid("value out of range");

    std::size_t n = 0;
    while (n < s.size() && !is_digit(s[n]) && s[n] != '.') ++n;
    std::string_view unit_name = s.substr(0, n);
    s.remove_prefix(n);
    if (unit_name.empty()) return invalid("missing unit");
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (u.name == unit_name) unit = &u;
    }
    if (!unit) return invalid("unknown unit \"" + std::string(unit_name) + "\"");

    if (whole > kMax / unit->ns) return invalid("value out of range");
    std::int64_t value = whole * unit->ns;
    // The fraction, to the nanosecond; digits beyond that are dropped.
    std::int64_t scale = unit->ns;
    for (char c : fraction) {
      scale /= 10;
      if (scale == 0) break;
      value += (c - '0') * scale;
    }
    if (value > kMax - total) return invalid("value out of range");
    total += value;
  }
  return std::chrono::nanoseconds{total};
}

std::string format_go_duration(std::chrono::nanoseconds d) {
  std::int64_t n = d.count();
  if (n == 0) return "0s";
  std::string sign;
  if (n < 0) {
    sign = "-";
    n = n == std::numeric_limits<std::int64_t>::min() ? kMax : -n;
  }
  if (n < 1'000) return sign + std::to_string(n) + "ns";
  if (n < 1'000'000) return sign + decimal(n, 3) + "us";
  if (n < 1'000'000'000) return sign + decimal(n, 6) + "ms";
  std::int64_t hours = n / 3'600'000'000'000;
  std::int64_t minutes = n / 60'000'000'000 % 60;
  std::int64_t rest = n % 60'000'000'000;
  std::string out = sign;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  return out + decimal(rest, 9) + "s";
}

}  // namespace cupola::lifecycle
