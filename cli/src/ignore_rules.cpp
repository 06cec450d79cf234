#include "cli/src/ignore_rules.h"

#include <cctype>

namespace cupola::cli {
namespace {

constexpr auto npos = std::string_view::npos;

// One character of a pattern at p[i], a backslash escaping the next; advances i. False on a
// lone trailing backslash.
bool read_char(std::string_view p, std::size_t& i, unsigned char& out) {
  if (p[i] == '\\') {
    if (i + 1 >= p.size()) return false;
    out = static_cast<unsigned char>(p[i + 1]);
    i += 2;
    return true;
  }
  out = static_cast<unsigned char>(p[i]);
  ++i;
  return true;
}

bool in_posix_class(std::string_view name, unsigned char c) {
  if (name == "alpha") return std::isalpha(c);
  if (name == "digit") return std::isdigit(c);
  if (name == "alnum") return std::isalnum(c);
  if (name == "upper") return std::isupper(c);
  if (name == "lower") return std::islower(c);
  if (name == "space") return std::isspace(c);
  if (name == "punct") return std::ispunct(c);
  if (name == "xdigit") return std::isxdigit(c);
  return false;
}

// Reads the bracket expression opening at p[open] and tells whether `c` is in it. Returns the
// index just past its ']', or npos when it is never closed.
std::size_t scan_class(std::string_view p, std::size_t open, unsigned char c, bool& matched) {
  std::size_t i = open + 1;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  // A ']' right after the opening (and its negation) is a member, not the end.
  for (bool first = true; i < p.size(); first = false) {
    if (p[i] == ']' && !first) {
      matched = found != negate;
      return i + 1;
    }
    if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      auto close = p.find(":]", i + 2);
      if (close == npos) return npos;
      found = found || in_posix_class(p.substr(i + 2, close - i - 2), c);
      i = close + 2;
      continue;
    }
    unsigned char lo = 0;
    if (!read_char(p, i, lo)) return npos;
    unsigned char hi = lo;
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      ++i;
      if (!read_char(p, i, hi)) return npos;
    }
    found = found || (lo <= c && c <= hi);
  }
  return npos;
}

// Whether one path component matches one glob segment. A '*' that fails to match further on
// is retried one character later: linear backtracking, enough since '*' never crosses '/'.
bool glob_match(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0, star_p = npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size()) {
      auto c = static_cast<unsigned char>(s[si]);
      if (p[pi] == '*') {
        while (pi < p.size() && p[pi] == '*') ++pi;
        star_p = pi;
        star_s = si;
        continue;
      }
      if (p[pi] == '?') {
        ++pi;
        ++si;
        continue;
      }
      bool matched = false;
      std::size_t next = pi;
      if (p[pi] == '[') {
        next = scan_class(p, pi, c, matched);
      } else {
        unsigned char want = 0;
        if (read_char(p, next, want)) matched = want == c;
      }
      if (matched) {
        pi = next;
        ++si;
        continue;
      }
    }
    if (star_p == npos) return false;
    pi = star_p;
    si = ++star_s;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// The problem with a glob segment, empty when it is well formed.
std::string segment_problem(std::string_view segment) {
  for (std::size_t i = 0; i < segment.size();) {
    if (segment[i] == '[') {
      bool unused = false;
      auto end = scan_class(segment, i, 0, unused);
      if (end == npos) return "has an unterminated '[' (write \\[ for a literal '[')";
      i = end;
      continue;
    }
    unsigned char unused = 0;
    if (!read_char(segment, i, unused)) return "ends with a lone '\\'";
  }
  return {};
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    auto slash = path.find('/');
    auto part = path.substr(0, slash);
    if (!part.empty() && part != ".") out.push_back(part);
    if (slash == npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string line_error(std::size_t number, std::string_view what) {
  return "Line " + std::to_string(number) + " of .cfignore " + std::string(what);
}

}  // namespace

IgnoreRules IgnoreRules::defaults() {
  IgnoreRules rules;
  rules.add_defaults();
  return rules;
}

void IgnoreRules::add_defaults() {
  for (auto name : kDefaultIgnoreLines) {
    rules_.push_back(Rule{.segments = {"**", std::string(name)}});
  }
}

Result<IgnoreRules> IgnoreRules::from_cfignore(std::string_view text) {
  if (text.size() > kMaxCfignoreBytes) {
    return make_error(Errc::LimitExceeded, "The .cfignore file is " + std::to_string(text.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(kMaxCfignoreBytes) + " bytes.");
  }
  // Editors on Windows may start the file with a byte order mark.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  IgnoreRules rules;
  std::size_t number = 0;
  while (!text.empty()) {
    ++number;
    auto newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == npos ? text.size() : newline + 1);
    if (line.size() > kMaxCfignoreLineBytes) {
      return make_error(Errc::LimitExceeded,
                        line_error(number, "is longer than " +
                                               std::to_string(kMaxCfignoreLineBytes) + " bytes."));
    }
    if (line.find('\0') != npos) {
      return make_error(Errc::InvalidArgument, line_error(number, "contains a NUL byte."));
    }
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.starts_with('#')) continue;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    // A trailing space survives when a backslash escapes it.
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t') &&
           !(line.size() >= 2 && line[line.size() - 2] == '\\')) {
      line.remove_suffix(1);
    }

    Rule rule;
    if (line.starts_with('!')) {
      rule.negate = true;
      line.remove_prefix(1);
    }
    while (line.ends_with('/')) {
      rule.directory_only = true;
      line.remove_suffix(1);
    }
    bool anchored = line.find('/') != npos;
    for (auto segment : split_path(line)) {
      if (auto problem = segment_problem(segment); !problem.empty()) {
        return make_error(Errc::InvalidArgument,
                          line_error(number, "(\"" + std::string(line) + "\") " + problem + "."));
      }
      bool globstar = segment == "**";
      if (globstar && !rule.segments.empty() && rule.segments.back() == "**") continue;
      rule.segments.emplace_back(segment);
    }
    if (rule.segments.empty()) continue;
    if (!anchored && rule.segments.front() != "**")
      rule.segments.insert(rule.segments.begin(), "**");
    // "a/**" matches what is inside a, not a itself: one more name, and below it everything.
    if (rule.segments.back() == "**") rule.segments.back() = "*";
    rules.has_negations_ = rules.has_negations_ || rule.negate;
    rules.rules_.push_back(std::move(rule));
  }
  rules.add_defaults();
  return rules;
}

bool IgnoreRules::rule_matches(const Rule& rule, const std::vector<std::string_view>& components,
                               bool is_directory) {
  // reach[k]: the first k segments match the components read so far. A "**" may match no
  // component, so reaching it also reaches the segment after it.
  const auto& segments = rule.segments;
  const std::size_t count = segments.size();
  auto close_over_globstars = [&](std::vector<char>& reach) {
    for (std::size_t k = 0; k < count; ++k) {
      if (reach[k] && segments[k] == "**") reach[k + 1] = 1;
    }
  };
  std::vector<char> reach(count + 1, 0), next(count + 1, 0);
  reach[0] = 1;
  close_over_globstars(reach);
  for (std::size_t i = 0; i < components.size(); ++i) {
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (std::size_t k = 0; k < count; ++k) {
      if (!reach[k]) continue;
      if (segments[k] == "**") {
        next[k] = 1;
        any = true;
      } else if (glob_match(segments[k], components[i])) {
        next[k + 1] = 1;
        any = true;
      }
    }
    if (!any) return false;
    close_over_globstars(next);
    // The pattern matched the first i + 1 components: that path, or a directory above the
    // one asked about, which takes everything below it along.
    bool last = i + 1 == components.size();
    if (next[count] && (!last || !rule.directory_only || is_directory)) return true;
    reach.swap(next);
  }
  return false;
}

bool IgnoreRules::ignored(std::string_view relative_path, bool is_directory) const {
  auto components = split_path(relative_path);
  if (components.empty()) return false;
  bool ignored = false;
  for (const auto& rule : rules_) {
    if (ignored != rule.negate) continue;  // this rule could not change the answer
    if (rule_matches(rule, components, is_directory)) ignored = !rule.negate;
  }
  return ignored;
}

}  // namespace cupola::cli
