// logs (tail and --recent), env, set-env, unset-env.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <thread>

#include "cli/src/commands/app_flow.h"
#include "cli/src/commands/lookup.h"
#include "cli/src/log_line.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using namespace std::chrono_literals;

volatile std::sig_atomic_t g_interrupted = 0;

int run_logs(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  if (s.config.log_cache_url.empty()) {
    return s.fail("This API has no log store: its root document names no log_cache link");
  }
  std::string guid = str(*app, "guid");
  s.ui.say("Retrieving logs for app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  int offset = local_utc_offset_minutes(std::time(nullptr));
  if (p.has("recent")) {
    auto lines = read_logs(s, log_read_path(s, guid, 0, true, 1000));
    if (!lines) return s.fail(lines.error());
    std::reverse(lines->begin(), lines->end());
    for (const auto& e : *lines) say_log_line(s, e, offset);
    return 0;
  }
  // Tailing: read forward from a second ago, every 250 ms; lines newer than a second are
  // held back a moment, so that lines arriving a little out of order still print in order.
  std::signal(SIGINT, [](int) { g_interrupted = 1; });
  std::signal(SIGTERM, [](int) { g_interrupted = 1; });
  long long cursor = now_ns() - 1'000'000'000LL;
  int failures = 0;
  while (g_interrupted == 0) {
    auto lines = read_logs(s, log_read_path(s, guid, cursor, false, 1000));
    if (!lines) {
      if (++failures >= 5) return s.fail(lines.error());
    } else {
      failures = 0;
      long long settled = now_ns() - 1'000'000'000LL;
      for (const auto& e : *lines) {
        if (e.timestamp_ns > settled) break;
        say_log_line(s, e, offset);
        cursor = e.timestamp_ns + 1;
      }
      s.ui.flush();
    }
    std::this_thread::sleep_for(250ms);
  }
  return 0;
}

std::string pretty(const json::Value& v) {
  json::Writer w;
  w.value(v);
  return w.str();
}

void print_env_section(Session& s, const json::Value* vars, const std::string& title,
                       const std::string& none) {
  if (vars == nullptr || !vars->IsObject() || vars->ObjectEmpty()) {
    s.ui.say(none + "\n");
    return;
  }
  s.ui.say(s.ui.bold(title));
  for (const auto& m : vars->GetObject()) {
    s.ui.say(std::string(m.name.GetString()) + ": " +
             (m.value.IsString() ? std::string(m.value.GetString()) : pretty(m.value)));
  }
  s.ui.say("");
}

int run_env(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Getting env variables for app " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto env = s.cc().get("/v3/apps/" + str(*app, "guid") + "/env");
  if (!env) return s.fail(env.error());
  s.ui.say(s.ui.bold("System-Provided:"));
  for (const char* section : {"system_env_json", "application_env_json"}) {
    if (const json::Value* v = at(*env, {section}); v && v->IsObject()) {
      for (const auto& m : v->GetObject()) {
        s.ui.say(std::string(m.name.GetString()) + ": " + pretty(m.value) + "\n");
      }
    }
  }
  print_env_section(s, at(*env, {"environment_variables"}),
                    "User-Provided:", "No user-provided env variables have been set");
  print_env_section(s, at(*env, {"running_env_json"}), "Running Environment Variable Groups:",
                    "No running env variables have been set");
  print_env_section(s, at(*env, {"staging_env_json"}), "Staging Environment Variable Groups:",
                    "No staging env variables have been set");
  return 0;
}

int set_env(Session& s, const std::string& name, const std::string& var, const char* value_json,
            const std::string& says) {
  if (!s.require_space()) return 1;
  s.ui.say(says + " " + in_target(s));
  auto app = lookup_app(s, name);
  if (!app) return s.fail(app.error());
  auto set = s.cc().patch("/v3/apps/" + str(*app, "guid") + "/environment_variables",
                          R"({"var": {)" + cc::api::quote(var) + ": " + value_json + "}}");
  if (!set) return s.fail(set.error());
  s.ui.ok();
  s.ui.tip("Use 'cupola restage " + name + "' to ensure your env variable changes take effect.");
  return 0;
}

int run_set_env(Session& s, const Parsed& p) {
  std::string value = cc::api::quote(p.arg(2));
  return set_env(s, p.arg(0), p.arg(1), value.c_str(),
                 "Setting env variable " + s.ui.cyan(p.arg(1)) + " for app " + s.ui.cyan(p.arg(0)));
}

int run_unset_env(Session& s, const Parsed& p) {
  return set_env(
      s, p.arg(0), p.arg(1), "null",
      "Removing env variable " + s.ui.cyan(p.arg(1)) + " from app " + s.ui.cyan(p.arg(0)));
}

}  // namespace

void add_log_commands(std::vector<Command>& out) {
  out.push_back({{.name = "logs",
                  .summary = "Tail or show recent logs for an app",
                  .usage = "cupola logs APP_NAME [--recent]",
                  .required_args = {"APP_NAME"},
                  .flags = {{"recent", 0, "", "Dump recent logs instead of tailing"}}},
                 run_logs});
  out.push_back({{.name = "env",
                  .aliases = {"e"},
                  .summary = "Show all env variables for an app",
                  .usage = "cupola env APP_NAME",
                  .required_args = {"APP_NAME"}},
                 run_env});
  out.push_back({{.name = "set-env",
                  .aliases = {"se"},
                  .summary = "Set an env variable for an app",
                  .usage = "cupola set-env APP_NAME ENV_VAR_NAME ENV_VAR_VALUE",
                  .required_args = {"APP_NAME", "ENV_VAR_NAME", "ENV_VAR_VALUE"}},
                 run_set_env});
  out.push_back({{.name = "unset-env",
                  .summary = "Remove an env variable from an app",
                  .usage = "cupola unset-env APP_NAME ENV_VAR_NAME",
                  .required_args = {"APP_NAME", "ENV_VAR_NAME"}},
                 run_unset_env});
}

}  // namespace cupola::cli
