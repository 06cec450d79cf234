#include <algorithm>

#include "cli/src/session.h"

namespace cupola::cli {
namespace {

const Command* find_command(const std::string& name) {
  for (const auto& c : all_commands()) {
    if (c.spec.name == name) return &c;
    if (std::find(c.spec.aliases.begin(), c.spec.aliases.end(), name) != c.spec.aliases.end()) {
      return &c;
    }
  }
  return nullptr;
}

void general_help(Ui& ui) {
  ui.say("cupola: push, run and manage apps on a Cupola platform (cf CLI commands and flags).\n");
  ui.say("USAGE:\n   cupola COMMAND [ARGS...] [FLAGS...]\n   cupola help COMMAND\n\nCOMMANDS:");
  Table rows;
  for (const auto& c : all_commands()) rows.push_back({"   " + c.spec.name, c.spec.summary});
  rows.insert(rows.begin(), {"", ""});
  std::string table = render_table(rows, false);
  ui.say(table.substr(table.find('\n') + 1));
  ui.say("Every command takes -v (print API requests) and -h (help).");
}

}  // namespace

int run_cli(const std::vector<std::string>& args, Ui& ui) {
  if (args.empty() || args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
    if (args.size() > 1) {
      if (const Command* c = find_command(args[1])) {
        ui.say(help_text(c->spec));
        return 0;
      }
      ui.failed("'" + args[1] + "' is not a registered command. See 'cupola help'");
      return 1;
    }
    general_help(ui);
    return 0;
  }
  if (args[0] == "version" || args[0] == "-v" || args[0] == "--version") {
    ui.say("cupola version 0.1.0");
    return 0;
  }
  const Command* c = find_command(args[0]);
  if (c == nullptr) {
    ui.failed("'" + args[0] + "' is not a registered command. See 'cupola help'");
    return 1;
  }
  Parsed parsed;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (auto wrong = parse_args(c->spec, rest, parsed)) {
    // As cf: the mistake on stderr, the command's help on stdout, no FAILED.
    ui.warn(ui.red(*wrong));
    ui.say("\n" + help_text(c->spec));
    return 1;
  }
  if (parsed.has("help")) {
    ui.say(help_text(c->spec));
    return 0;
  }
  auto dir = config_dir();
  auto config = load_config(dir);
  if (!config) {
    ui.failed(config.error().message);
    return 1;
  }
  Session session(ui, dir, std::move(*config), parsed.has("verbose"));
  return c->run(session, parsed);
}

}  // namespace cupola::cli
