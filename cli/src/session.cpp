#include "cli/src/session.h"

#include <cstdio>

namespace cupola::cli {
namespace {

// -v: each request and response as the cf CLI traces them, with secrets hidden.
void print_trace(Ui& ui, const cc::api::TraceEntry& t) {
  auto hide = [](const std::string& name, const std::string& value) {
    return name == "Authorization" || name == "authorization" ? std::string("[PRIVATE DATA HIDDEN]")
                                                              : value;
  };
  std::string out = "REQUEST: " + t.method + " " + t.url + "\n";
  for (const auto& [k, v] : t.request_headers) out += k + ": " + hide(k, v) + "\n";
  if (!t.request_body.empty()) {
    bool secret = t.request_body.find("password") != std::string::npos ||
                  t.request_body.find("refresh_token") != std::string::npos;
    out += "\n" + (secret ? std::string("[PRIVATE DATA HIDDEN]") : t.request_body) + "\n";
  }
  out +=
      "\nRESPONSE: " + std::to_string(t.status) + " (" + std::to_string(t.took.count()) + " ms)\n";
  for (const auto& [k, v] : t.response_headers) out += k + ": " + v + "\n";
  if (!t.response_body.empty()) {
    bool tokens = t.response_body.find("access_token") != std::string::npos;
    out += "\n" +
           (tokens ? std::string("[PRIVATE DATA HIDDEN]") : t.response_body.substr(0, 4096)) + "\n";
  }
  ui.say(out);
}

}  // namespace

Session::Session(Ui& u, std::filesystem::path dir, Config c, bool verbose)
    : ui(u), config(std::move(c)), dir_(std::move(dir)), verbose_(verbose) {}

cc::api::Client& Session::cc() {
  if (!client_) cc_for(config.api, config.skip_ssl_validation);
  return *client_;
}

cc::api::Client& Session::cc_for(const std::string& api_url, bool skip_ssl_validation) {
  cc::api::ClientOptions o;
  o.api_url = api_url;
  o.skip_ssl_validation = skip_ssl_validation;
  if (verbose_) o.trace = [this](const cc::api::TraceEntry& t) { print_trace(ui, t); };
  client_ = std::make_unique<cc::api::Client>(std::move(o));
  client_->set_token_url(config.token_url);
  client_->set_tokens({config.access_token, config.refresh_token});
  client_->on_tokens([this](const cc::api::Tokens& t) {
    config.access_token = t.access;
    config.refresh_token = t.refresh;
    save();
  });
  return *client_;
}

bool Session::save() {
  auto saved = save_config(dir_, config);
  if (!saved) ui.warn(saved.error().message);
  return saved.ok();
}

bool Session::require_api() {
  if (!config.api.empty()) return true;
  fail("No API endpoint set. Use 'cupola login' or 'cupola api' to target an endpoint.");
  return false;
}

bool Session::require_login() {
  if (!require_api()) return false;
  if (config.logged_in()) return true;
  fail("Not logged in. Use 'cupola login' to log in.");
  return false;
}

bool Session::require_org() {
  if (!require_login()) return false;
  if (!config.org_guid.empty()) return true;
  fail("No org targeted, use 'cupola target -o ORG' to target an org.");
  return false;
}

bool Session::require_space() {
  if (!require_org()) return false;
  if (!config.space_guid.empty()) return true;
  fail("No space targeted, use 'cupola target -s SPACE' to target a space.");
  return false;
}

std::string Session::user() const { return user_of_token(config.access_token); }

int Session::fail(const std::string& reason) {
  ui.failed(reason);
  return 1;
}

int Session::fail(const Error& e) {
  unsigned status = cc::api::status_of(e);
  if (status == 401) {
    return fail("Your session has ended or your token is no longer valid: " + e.message +
                "\nLog in again with 'cupola login'.");
  }
  if (status == 0 && e.code == make_error_code(Errc::Unavailable)) {
    return fail(e.message +
                "\nTIP: check the API endpoint with 'cupola api', or whether the "
                "platform is running.");
  }
  return fail(e.message);
}

const std::vector<Command>& all_commands() {
  static const std::vector<Command> commands = [] {
    std::vector<Command> out;
    add_session_commands(out);
    add_tenancy_commands(out);
    add_user_commands(out);
    add_quota_commands(out);
    add_push_command(out);
    add_app_commands(out);
    add_route_commands(out);
    add_domain_event_commands(out);
    add_log_commands(out);
    add_service_info_commands(out);
    add_managed_service_commands(out);
    add_service_commands(out);
    add_service_key_commands(out);
    add_broker_commands(out);
    return out;
  }();
  return commands;
}

}  // namespace cupola::cli
