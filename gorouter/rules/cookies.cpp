#include "gorouter/rules/cookies.h"

#include <array>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

#include "gorouter/rules/names.h"

namespace cupola::router::rules {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool valid_cookie_name(std::string_view name) noexcept {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool valid_cookie_value_byte(char c) noexcept {
  return c >= 0x20 && c < 0x7F && c != '"' && c != ';' && c != '\\';
}

std::optional<std::string_view> cookie_value(std::string_view raw, bool allow_quotes) {
  if (allow_quotes && raw.size() > 1 && raw.front() == '"' && raw.back() == '"') {
    raw = raw.substr(1, raw.size() - 2);
  }
  for (char c : raw) {
    if (!valid_cookie_value_byte(c)) return std::nullopt;
  }
  return raw;
}

std::pair<std::string_view, std::string_view> cut(std::string_view s, char sep) {
  const std::size_t at = s.find(sep);
  if (at == std::string_view::npos) return {s, {}};
  return {s.substr(0, at), s.substr(at + 1)};
}

// Go's strconv.Atoi: an optional sign, then decimal digits.
std::optional<int> parse_int(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool read_number(std::string_view& s, std::size_t digits, int& out) {
  if (s.size() < digits) return false;
  out = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  s.remove_prefix(digits);
  return true;
}

bool read_literal(std::string_view& s, std::string_view literal) {
  if (!s.starts_with(literal)) return false;
  s.remove_prefix(literal.size());
  return true;
}

template <std::size_t N>
int read_name(std::string_view& s, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (s.size() >= 3 && iequals(s.substr(0, 3), names[i])) {
      s.remove_prefix(3);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void apply_attribute(SetCookie& c, std::string_view part) {
  if (part.empty()) return;
  const auto [attr, raw] = cut(part, '=');
  const auto val = cookie_value(raw, false);
  if (!val) return;
  const std::string key = to_lower(attr);
  if (key == "samesite") {
    const std::string v = to_lower(*val);
    c.same_site = v == "lax"      ? SameSite::Lax
                  : v == "strict" ? SameSite::Strict
                  : v == "none"   ? SameSite::None
                                  : SameSite::Default;
  } else if (key == "secure") {
    c.secure = true;
  } else if (key == "httponly") {
    c.http_only = true;
  } else if (key == "domain") {
    c.domain = std::string(*val);
  } else if (key == "max-age") {
    // Leading zeros make the attribute malformed, and malformed ones are ignored.
    const auto secs = parse_int(*val);
    if (secs && !(*secs != 0 && val->front() == '0')) c.max_age = *secs <= 0 ? -1 : *secs;
  } else if (key == "expires") {
    c.expires = parse_http_date(*val);
  } else if (key == "path") {
    c.path = std::string(*val);
  } else if (key == "partitioned") {
    c.partitioned = true;
  }
}

}  // namespace

std::optional<std::string> request_cookie(const HeaderList& headers, std::string_view name) {
  for (std::string_view line : header_values(headers, kCookie)) {
    while (!line.empty()) {
      auto [part, rest] = cut(line, ';');
      line = rest;
      part = trim(part);
      if (part.empty()) continue;
      auto [cookie_name, raw] = cut(part, '=');
      cookie_name = trim(cookie_name);
      if (!valid_cookie_name(cookie_name) || cookie_name != name) continue;
      if (auto value = cookie_value(raw, true)) return std::string(*value);
    }
  }
  return std::nullopt;
}

std::optional<SetCookie> parse_set_cookie(std::string_view line) {
  std::vector<std::string_view> parts;
  line = trim(line);
  while (true) {
    const std::size_t at = line.find(';');
    parts.push_back(trim(line.substr(0, at)));
    if (at == std::string_view::npos) break;
    line.remove_prefix(at + 1);
  }
  const std::size_t eq = parts[0].find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const std::string_view name = trim(parts[0].substr(0, eq));
  const auto value = cookie_value(parts[0].substr(eq + 1), true);
  if (!valid_cookie_name(name) || !value) return std::nullopt;

  SetCookie c;
  c.name = std::string(name);
  c.value = std::string(*value);
  for (std::size_t i = 1; i < parts.size(); ++i) apply_attribute(c, parts[i]);
  return c;
}

std::vector<SetCookie> response_cookies(const HeaderList& headers) {
  std::vector<SetCookie> out;
  for (std::string_view line : header_values(headers, kSetCookie)) {
    if (auto c = parse_set_cookie(line)) out.push_back(std::move(*c));
  }
  return out;
}

std::string format_set_cookie(const SetCookie& c) {
  if (!valid_cookie_name(c.name)) return {};
  std::string out = c.name;
  out.push_back('=');
  std::string value;
  for (char ch : c.value) {
    if (valid_cookie_value_byte(ch)) value.push_back(ch);
  }
  if (value.find_first_of(" ,") != std::string::npos) value = "\"" + value + "\"";
  out += value;
  if (!c.path.empty()) {
    out += "; Path=";
    for (char ch : c.path) {
      if (ch >= 0x20 && ch < 0x7F && ch != ';') out.push_back(ch);
    }
  }
  if (!c.domain.empty()) out += "; Domain=" + c.domain;
  if (c.expires) out += "; Expires=" + format_http_date(*c.expires);
  if (c.max_age > 0) {
    out += fmt::format("; Max-Age={}", c.max_age);
  } else if (c.max_age < 0) {
    out += "; Max-Age=0";
  }
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  switch (c.same_site) {
    case SameSite::Unset:
    case SameSite::Default:
      break;
    case SameSite::Lax:
      out += "; SameSite=Lax";
      break;
    case SameSite::Strict:
      out += "; SameSite=Strict";
      break;
    case SameSite::None:
      out += "; SameSite=None";
      break;
  }
  if (c.partitioned) out += "; Partitioned";
  return out;
}

std::optional<TimePoint> parse_http_date(std::string_view s) {
  int d = 0, y = 0, h = 0, mi = 0, sec = 0;
  if (read_name(s, kDays) < 0 || !read_literal(s, ", ") || !read_number(s, 2, d)) {
    return std::nullopt;
  }
  const char sep = s.empty() ? '\0' : s.front();
  if (sep != ' ' && sep != '-') return std::nullopt;
  s.remove_prefix(1);
  const int mo = read_name(s, kMonths);
  if (mo < 0 || !read_literal(s, std::string_view(&sep, 1)) || !read_number(s, 4, y) ||
      !read_literal(s, " ") || !read_number(s, 2, h) || !read_literal(s, ":") ||
      !read_number(s, 2, mi) || !read_literal(s, ":") || !read_number(s, 2, sec) ||
      !read_literal(s, " ")) {
    return std::nullopt;
  }
  if (s.size() < 3 || s.size() > 5) return std::nullopt;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return std::nullopt;
  }
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo + 1)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  // TimePoint counts nanoseconds in 64 bits; dates beyond its range are treated as malformed.
  if (y < 1678 || y > 2261) return std::nullopt;
  return TimePoint{sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec}};
}

std::string format_http_date(TimePoint t) {
  const auto secs = floor<seconds>(t);
  const auto day_point = floor<days>(secs);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{secs - day_point};
  const weekday wd{day_point};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[wd.c_encoding()],
                     unsigned(ymd.day()), kMonths[unsigned(ymd.month()) - 1], int(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace cupola::router::rules
