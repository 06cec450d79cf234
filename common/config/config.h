#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::config {

// What every server binary takes on its command line:
//   cupola-bbs --config bbs.json [--set listen_address=127.0.0.1:8889 ...]
// `--set path=value` overrides one field of the file (dotted path; the value is read as
// JSON when it parses, as a string otherwise).
struct CommandLine {
  std::string config_path;
  std::vector<std::string> overrides;
  bool help = false;
};

Result<CommandLine> parse_command_line(int argc, const char* const* argv);
std::string usage(std::string_view program);

// Reads the file (at most `max_bytes`), parses it and applies the overrides.
Result<json::Document> load_document(const CommandLine& cl, std::size_t max_bytes = 1 << 20);

// Applies one "a.b.c=value" override to `doc`, creating objects on the way.
Status apply_override(json::Document& doc, std::string_view override_text);

// A component's configuration: a plain struct whose members hold the defaults, filled by
// `read` and checked by `validate`, which appends one line per problem.
template <class C>
concept ConfigStruct = std::default_initializable<C> &&
    requires(C c, const C cc, json::ObjectReader& r, std::vector<std::string>& problems) {
  c.read(r);
  cc.validate(problems);
};

// Reads and validates; the error lists every problem at once, naming the file.
template <ConfigStruct C>
Result<C> from_document(const json::Value& doc, std::string_view what) {
  C c;
  json::ObjectReader r(doc);
  c.read(r);
  std::vector<std::string> problems = r.problems();
  c.validate(problems);
  if (!problems.empty()) {
    std::string msg = std::string(what) + " is not valid:";
    for (const auto& p : problems) msg += "\n  - " + p;
    return make_error(Errc::InvalidArgument, std::move(msg));
  }
  return c;
}

template <ConfigStruct C>
Result<C> load(const CommandLine& cl) {
  auto doc = load_document(cl);
  if (!doc) return std::move(doc).error();
  return from_document<C>(*doc, "config " + cl.config_path);
}

// "host:port" → its parts; the port must be 0–65535. Used by configs for listen addresses.
struct HostPort {
  std::string host;
  unsigned short port = 0;
};
Result<HostPort> parse_host_port(std::string_view s);

// Checks every server's config shares; each appends "<field>: <problem>" to `problems`.
void check_listen_address(std::vector<std::string>& problems, std::string_view field,
                          std::string_view value);
void check_log_level(std::vector<std::string>& problems, std::string_view value);
void check_http_url(std::vector<std::string>& problems, std::string_view field,
                    std::string_view value);
void check_nats_servers(std::vector<std::string>& problems,
                        const std::vector<std::string>& servers);

}  // namespace cupola::config
