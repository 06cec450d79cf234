#pragma once

// Command-line parsing as the cf CLI does it: `--name value`, `--name=value`, `-n value`,
// `-nvalue`, boolean flags, repeatable flags (-b a -b b), `--` ending the flags, and the
// cf CLI's "Incorrect Usage: ..." texts for every mistake. Pure: no I/O.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cupola::cli {

struct FlagSpec {
  std::string name;        // long name without dashes: "instances"
  char short_name = 0;     // 'i', or 0
  std::string value_name;  // "NUM_INSTANCES"; empty for a boolean flag
  std::string help;
  bool repeatable = false;
  // The value must be an integer of at least this (for -i, -t); nullopt: any text.
  std::optional<long long> min_int;
};

struct CommandSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::string summary;                     // one line, for `cupola help`
  std::string usage;                       // "cupola scale APP_NAME [-i INSTANCES] ..."
  std::vector<std::string> required_args;  // "APP_NAME", in order
  int optional_args = 0;                   // more positional arguments allowed after those
  std::vector<FlagSpec> flags;
  std::string examples;  // optional lines for --help
};

class Parsed {
 public:
  std::vector<std::string> args;
  std::map<std::string, std::vector<std::string>> flags;  // long name -> values ("" for bools)

  bool has(const std::string& name) const { return flags.count(name) > 0; }
  // The last value given for the flag, or `fallback`.
  std::string value(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> values(const std::string& name) const;
  // The positional argument at `i`, or "".
  std::string arg(std::size_t i) const { return i < args.size() ? args[i] : ""; }
};

// Parses ARGV (the words after the command name) against SPEC. Every command also takes -v
// (trace HTTP) and -h/--help. Returns the "Incorrect Usage: ..." text of the first mistake.
std::optional<std::string> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv,
                                      Parsed& out);

// NAME, USAGE, ALIAS, OPTIONS and EXAMPLES, as `cf help COMMAND` lays them out.
std::string help_text(const CommandSpec& spec);

}  // namespace cupola::cli
