#include "cli/src/args.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace cupola::cli {
namespace {

const FlagSpec kVerbose{"verbose", 'v', "", "Print API request diagnostics to stdout"};
const FlagSpec kHelp{"help", 'h', "", "Show help"};

const FlagSpec* find_long(const CommandSpec& spec, const std::string& name) {
  for (const auto& f : spec.flags)
    if (f.name == name) return &f;
  if (name == "help") return &kHelp;
  return nullptr;
}

const FlagSpec* find_short(const CommandSpec& spec, char c) {
  for (const auto& f : spec.flags)
    if (f.short_name == c) return &f;
  if (c == 'v') return &kVerbose;
  if (c == 'h') return &kHelp;
  return nullptr;
}

std::string flag_shown(const FlagSpec& f, bool as_short) {
  return as_short && f.short_name != 0 ? std::string("-") + f.short_name : "--" + f.name;
}

std::optional<std::string> store(const FlagSpec& f, bool as_short, std::string value, Parsed& out) {
  if (f.min_int) {
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || errno == ERANGE || n < *f.min_int) {
      return "Incorrect Usage: invalid argument for flag `" + flag_shown(f, as_short) +
             "' (expected int" + (*f.min_int > 0 ? " > 0" : " >= 0") + ")";
    }
  }
  auto& values = out.flags[f.name];
  if (!f.repeatable) values.clear();
  values.push_back(std::move(value));
  return std::nullopt;
}

}  // namespace

std::string Parsed::value(const std::string& name, const std::string& fallback) const {
  auto it = flags.find(name);
  return it == flags.end() || it->second.empty() ? fallback : it->second.back();
}

std::vector<std::string> Parsed::values(const std::string& name) const {
  auto it = flags.find(name);
  return it == flags.end() ? std::vector<std::string>{} : it->second;
}

std::optional<std::string> parse_args(const CommandSpec& spec, const std::vector<std::string>& argv,
                                      Parsed& out) {
  out = Parsed{};
  bool only_args = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (only_args || word.size() < 2 || word[0] != '-' || word == "-") {
      out.args.push_back(word);
      continue;
    }
    if (word == "--") {
      only_args = true;
      continue;
    }
    const bool as_short = word[1] != '-';
    const FlagSpec* f = nullptr;
    std::optional<std::string> inline_value;
    if (!as_short) {
      std::string name = word.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      f = name == "verbose" ? &kVerbose : find_long(spec, name);
      if (f == nullptr) return "Incorrect Usage: unknown flag `" + name + "'";
    } else {
      f = find_short(spec, word[1]);
      if (f == nullptr) return std::string("Incorrect Usage: unknown flag `") + word[1] + "'";
      if (word.size() > 2) inline_value = word[2] == '=' ? word.substr(3) : word.substr(2);
    }
    if (f->value_name.empty()) {
      if (inline_value && !as_short) {
        return "Incorrect Usage: bool flag `" + flag_shown(*f, false) + "' cannot have an argument";
      }
      if (inline_value) {
        // Several boolean short flags together: -fr.
        for (char c : word.substr(1)) {
          const FlagSpec* b = find_short(spec, c);
          if (b == nullptr) return std::string("Incorrect Usage: unknown flag `") + c + "'";
          if (!b->value_name.empty()) {
            return std::string("Incorrect Usage: expected argument for flag `-") + c + "'";
          }
          out.flags[b->name] = {""};
        }
        continue;
      }
      out.flags[f->name] = {""};
      continue;
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return "Incorrect Usage: expected argument for flag `" + flag_shown(*f, as_short) + "'";
    }
    if (auto e = store(*f, as_short, std::move(value), out)) return e;
  }
  if (out.has("help")) return std::nullopt;
  if (out.args.size() < spec.required_args.size()) {
    // go-flags' words, which cf prints: "`A` was", "`A` and `B` were", "`A`, `B` and `C` were".
    std::size_t first = out.args.size(), last = spec.required_args.size() - 1;
    if (first == last) {
      return "Incorrect Usage: the required argument `" + spec.required_args[last] +
             "` was not provided";
    }
    std::string names;
    for (std::size_t i = first; i < last; ++i) {
      names += (i > first ? ", `" : "`") + spec.required_args[i] + "`";
    }
    return "Incorrect Usage: the required arguments " + names + " and `" +
           spec.required_args[last] + "` were not provided";
  }
  std::size_t allowed = spec.required_args.size() + static_cast<std::size_t>(spec.optional_args);
  if (out.args.size() > allowed) {
    return "Incorrect Usage: unexpected argument \"" + out.args[allowed] + "\"";
  }
  return std::nullopt;
}

std::string help_text(const CommandSpec& spec) {
  std::string out =
      "NAME:\n   " + spec.name + " - " + spec.summary + "\n\nUSAGE:\n   " + spec.usage + "\n";
  if (!spec.examples.empty()) out += "\nEXAMPLES:\n" + spec.examples;
  if (!spec.aliases.empty()) {
    out += "\nALIAS:\n   ";
    for (std::size_t i = 0; i < spec.aliases.size(); ++i) out += (i ? ", " : "") + spec.aliases[i];
    out += "\n";
  }
  if (!spec.flags.empty()) {
    out += "\nOPTIONS:\n";
    std::vector<std::pair<std::string, std::string>> rows;
    std::size_t width = 0;
    for (const auto& f : spec.flags) {
      // One-letter flags are short only (-i); others are --name, with their letter if any.
      std::string left = f.name.size() == 1 ? "-" + f.name : "--" + f.name;
      if (f.short_name != 0 && f.name.size() > 1) left += ", -" + std::string(1, f.short_name);
      if (!f.value_name.empty()) left += " " + f.value_name;
      rows.emplace_back(left, f.help);
      width = std::max(width, left.size());
    }
    for (const auto& [left, help] : rows) {
      out += "   " + left + std::string(width - left.size() + 3, ' ') + help + "\n";
    }
  }
  return out;
}

}  // namespace cupola::cli
