#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::cli {

// The names cf push never uploads, at any depth, as the cf CLI lists them.
inline constexpr std::array<std::string_view, 9> kDefaultIgnoreLines = {
    ".cfignore", ".DS_Store", ".git",          ".gitignore",   ".hg",
    ".svn",      "_darcs",    "manifest.yaml", "manifest.yml",
};

// Bounds on an app's .cfignore.
inline constexpr std::size_t kMaxCfignoreBytes = 1 << 20;
inline constexpr std::size_t kMaxCfignoreLineBytes = 4096;

// Which paths of an app cf push leaves out: the app's .cfignore followed by
// kDefaultIgnoreLines, in gitignore syntax.
//
// Lines: a line starting with '#' is a comment; blank lines are skipped; leading spaces and
// unescaped trailing spaces are dropped; '!' negates ("\!" and "\#" start a literal); a
// trailing '/' matches directories only; a pattern with a '/' at its start or in its middle
// is anchored at the app root, one without matches a name at any depth. Globs: '*' and '?'
// within one name, "[a-z]", "[!a]" or "[^a]", "[[:digit:]]", '\' escapes; a "**" segment
// matches any number of directories ("**/x", "a/**/b", "a/**").
//
// Matching is per path, as the cf CLI matches: a pattern that matches a directory also
// matches everything below it, and the last matching line decides, so a later "!" line
// re-includes a file inside an ignored directory. The defaults come after the .cfignore
// lines, so no "!" line re-includes them.
//
// Immutable once built; safe to share between threads.
class IgnoreRules {
 public:
  // kDefaultIgnoreLines only (an app without a .cfignore).
  static IgnoreRules defaults();

  // The text of an app's .cfignore followed by the defaults. Errc::LimitExceeded when the
  // text is over kMaxCfignoreBytes or a line over kMaxCfignoreLineBytes;
  // Errc::InvalidArgument for a NUL byte, an unterminated '[' or a trailing lone '\'. Each
  // message names .cfignore and, where it applies, the line number.
  static Result<IgnoreRules> from_cfignore(std::string_view text);

  // Whether `relative_path` ("sub/style.css"; '/'-separated, relative to the app root, a
  // trailing '/' and "." components tolerated) is left out. `is_directory` tells whether
  // the path itself is a directory, for patterns ending in '/'. The root itself ("") is
  // never ignored.
  bool ignored(std::string_view relative_path, bool is_directory) const;

  // Whether any line starts with '!': a walker must then look inside ignored directories
  // for paths a negation re-includes.
  bool has_negations() const { return has_negations_; }

 private:
  struct Rule {
    std::vector<std::string> segments;  // glob per path component; "**" for any depth
    bool negate = false;
    bool directory_only = false;
  };

  IgnoreRules() = default;
  void add_defaults();
  static bool rule_matches(const Rule& rule, const std::vector<std::string_view>& components,
                           bool is_directory);

  std::vector<Rule> rules_;
  bool has_negations_ = false;
};

}  // namespace cupola::cli
