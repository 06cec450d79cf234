#pragma once

// Finding orgs, spaces and apps by name, with the cf CLI's words when they are missing.

#include <string>

#include "cli/src/log_line.h"
#include "cli/src/session.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cli {

struct Named {
  std::string guid;
  std::string name;
};

Result<Named> lookup_org(Session& s, const std::string& name);
// A space of the targeted org.
Result<Named> lookup_space(Session& s, const std::string& name);
// An app of the targeted space, as its JSON.
Result<json::Document> lookup_app(Session& s, const std::string& name);

// True with -f, else when the user answers y or yes to QUESTION on a terminal (cf's [yN]).
bool confirmed(Session& s, const Parsed& p, const std::string& question);

// Prints one log line as cf does (format_log_line), on stdout.
void say_log_line(Session& s, const LogEnvelope& e, int utc_offset_minutes);

// "Incorrect Usage: TEXT" on stderr and COMMAND's help on stdout, as cf does (no FAILED); 1.
int usage_error(Session& s, const std::string& command, const std::string& text);

// Prints V as JSON on a line of its own (--json output for scripts).
void say_json(Session& s, const json::Value& v);
// The flag every listing command takes for scripts.
inline const FlagSpec kJsonFlag{"json", 0, "", "Print the result as JSON, for scripts"};

// "Getting apps in org acme / space dev as admin..."
std::string in_target(Session& s);
// The string member at `key`, or "".
std::string str(const json::Value& v, const char* key);
// The member at a path of keys, or nullptr.
const json::Value* at(const json::Value& v, std::initializer_list<const char*> path);

}  // namespace cupola::cli
