#pragma once

// What every command works with: the saved config, the terminal, and a Cloud Controller
// client made from the config on first use (its refreshed tokens are saved as they come).
// The require_* checks print the cf CLI's words and return false when a command cannot go on.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/src/args.h"
#include "cli/src/config.h"
#include "cli/src/ui.h"
#include "cloud_controller/api/cc_client.h"

namespace cupola::cli {

class Session {
 public:
  Session(Ui& ui, std::filesystem::path config_dir, Config config, bool verbose);

  Ui& ui;
  Config config;

  cc::api::Client& cc();
  // A fresh client for another API URL (api, login -a), replacing the current one.
  cc::api::Client& cc_for(const std::string& api_url, bool skip_ssl_validation);
  bool save();

  bool require_api();
  bool require_login();
  bool require_org();
  bool require_space();
  std::string user() const;
  bool verbose() const { return verbose_; }

  // Prints FAILED and the error's words; returns 1, the exit status.
  int fail(const std::string& reason);
  int fail(const Error& e);

 private:
  std::filesystem::path dir_;
  bool verbose_;
  std::unique_ptr<cc::api::Client> client_;
};

struct Command {
  CommandSpec spec;
  std::function<int(Session&, const Parsed&)> run;
};

// Every command, in the order `cupola help` lists them.
const std::vector<Command>& all_commands();

// The groups, each in its own file under commands/.
void add_session_commands(std::vector<Command>& out);
void add_tenancy_commands(std::vector<Command>& out);
void add_user_commands(std::vector<Command>& out);
void add_quota_commands(std::vector<Command>& out);
void add_app_commands(std::vector<Command>& out);
void add_route_commands(std::vector<Command>& out);
void add_domain_event_commands(std::vector<Command>& out);
void add_push_command(std::vector<Command>& out);
void add_log_commands(std::vector<Command>& out);
void add_service_commands(std::vector<Command>& out);
void add_service_info_commands(std::vector<Command>& out);
void add_managed_service_commands(std::vector<Command>& out);
void add_service_key_commands(std::vector<Command>& out);
void add_broker_commands(std::vector<Command>& out);

// Runs `cupola ARGS...`; the exit status.
int run_cli(const std::vector<std::string>& args, Ui& ui);

}  // namespace cupola::cli
