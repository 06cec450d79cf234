// api, login, auth, logout, target, oauth-token: where the CLI points and who it is.
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

std::string prompt(Session& s, const std::string& label, bool secret) {
  s.ui.flush();
  std::cout << label << std::flush;
  termios saved{};
  bool hide = secret && ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hide) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (hide) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cout << "\n";
  }
  return line;
}

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

// Reads the root document of URL and points the config at it (forgetting any session).
Result<void> set_api(Session& s, std::string url, bool skip_ssl) {
  url = trim_slash(std::move(url));
  if (url.find("://") == std::string::npos) url = "https://" + url;
  auto endpoints = s.cc_for(url, skip_ssl).endpoints();
  if (!endpoints) return std::move(endpoints).error();
  bool same = s.config.api == url;
  s.config.api = url;
  s.config.skip_ssl_validation = skip_ssl;
  s.config.api_version = endpoints->api_version;
  s.config.token_url = trim_slash(endpoints->uaa);
  s.config.log_cache_url = trim_slash(endpoints->log_cache);
  if (!same) s.config.clear_session();
  s.cc().set_token_url(s.config.token_url);
  return {};
}

void show_target(Session& s) {
  KeyValues rows = {{"API endpoint", s.config.api}, {"API version", s.config.api_version}};
  if (s.config.logged_in()) {
    rows.push_back({"user", s.user()});
    rows.push_back({"org", s.config.org_name});
    rows.push_back({"space", s.config.space_name});
  }
  s.ui.key_values(rows);
}

// Targets org NAME (or the only org there is when NAME is empty); false with a reason printed.
bool target_org(Session& s, const std::string& name) {
  auto org = lookup_org(s, name);
  if (!org) return s.fail(org.error()) == 0;
  s.config.org_guid = org->guid;
  s.config.org_name = org->name;
  s.config.space_guid.clear();
  s.config.space_name.clear();
  return true;
}

bool target_space(Session& s, const std::string& name) {
  auto space = lookup_space(s, name);
  if (!space) return s.fail(space.error()) == 0;
  s.config.space_guid = space->guid;
  s.config.space_name = space->name;
  return true;
}

// After login: -o/-s, else the only org and space, else a choice on a terminal.
bool choose_target(Session& s, const std::string& org, const std::string& space) {
  if (!org.empty()) {
    if (!target_org(s, org)) return false;
  } else {
    auto orgs = s.cc().list("/v3/organizations?order_by=name&per_page=5000");
    if (!orgs) return s.fail(orgs.error()) == 0;
    if (orgs->Size() == 1) {
      if (!target_org(s, (*orgs)[0]["name"].GetString())) return false;
    } else if (orgs->Size() > 1 && ::isatty(STDIN_FILENO)) {
      s.ui.say("Select an org:");
      for (rapidjson::SizeType i = 0; i < orgs->Size(); ++i) {
        s.ui.say(std::to_string(i + 1) + ". " + (*orgs)[i]["name"].GetString());
      }
      std::string pick = prompt(s, "\nOrg (enter to skip): ", false);
      if (!pick.empty()) {
        std::size_t n = std::strtoul(pick.c_str(), nullptr, 10);
        std::string name = n >= 1 && n <= orgs->Size() ? (*orgs)[n - 1]["name"].GetString() : pick;
        if (!target_org(s, name)) return false;
      }
    }
  }
  if (s.config.org_guid.empty()) return true;
  s.ui.say("Targeted org " + s.ui.cyan(s.config.org_name) + ".\n");
  if (!space.empty()) {
    if (!target_space(s, space)) return false;
  } else {
    auto spaces = s.cc().list("/v3/spaces?order_by=name&per_page=5000&organization_guids=" +
                              s.config.org_guid);
    if (!spaces) return s.fail(spaces.error()) == 0;
    if (spaces->Size() == 1 && !target_space(s, (*spaces)[0]["name"].GetString())) return false;
  }
  if (!s.config.space_guid.empty()) {
    s.ui.say("Targeted space " + s.ui.cyan(s.config.space_name) + ".\n");
  }
  return true;
}

// Forgets the old session, asks for tokens with the password grant and keeps them; prints OK,
// or FAILED in cf's words.
bool authenticate(Session& s, const std::string& user, const std::string& password) {
  s.config.clear_session();
  auto tokens = s.cc().password_grant(user, password);
  if (!tokens) {
    s.save();
    if (cc::api::status_of(tokens.error()) == 401) {
      s.fail("Credentials were rejected, please try again.");
    } else {
      s.fail(tokens.error());
    }
    return false;
  }
  s.config.access_token = tokens->access;
  s.config.refresh_token = tokens->refresh;
  s.save();
  s.ui.ok();
  return true;
}

int run_api(Session& s, const Parsed& p) {
  if (p.args.empty()) {
    if (s.config.api.empty()) {
      s.ui.say("No API endpoint set. Use 'cupola api' to set an endpoint");
      return 0;
    }
    s.ui.key_values({{"API endpoint", s.config.api}, {"API version", s.config.api_version}});
    return 0;
  }
  s.ui.say("Setting API endpoint to " + s.ui.cyan(trim_slash(p.arg(0))) + "...");
  if (auto set = set_api(s, p.arg(0), p.has("skip-ssl-validation")); !set) {
    return s.fail(set.error());
  }
  s.save();
  s.ui.ok();
  show_target(s);
  if (!s.config.logged_in()) {
    s.ui.say("\nNot logged in. Use '" + s.ui.cyan("cupola login") + "' to log in.");
  }
  return 0;
}

int run_login(Session& s, const Parsed& p) {
  std::string api = p.value("a");
  if (api.empty() && s.config.api.empty()) api = prompt(s, "API endpoint: ", false);
  if (!api.empty()) {
    if (auto set = set_api(s, api, p.has("skip-ssl-validation")); !set) return s.fail(set.error());
  }
  if (!s.require_api()) return 1;
  s.ui.say("API endpoint: " + s.config.api + "\n");
  std::string user = p.has("u") ? p.value("u") : prompt(s, "Username: ", false);
  std::string password = p.has("p") ? p.value("p") : prompt(s, "Password: ", true);
  s.ui.say("Authenticating...");
  if (!authenticate(s, user, password)) return 1;
  bool targeted = choose_target(s, p.value("o"), p.value("s"));
  s.save();
  s.ui.say("");
  show_target(s);
  return targeted ? 0 : 1;
}

int run_auth(Session& s, const Parsed& p) {
  if (!s.require_api()) return 1;
  s.ui.say("API endpoint: " + s.config.api + "\nAuthenticating...");
  if (!authenticate(s, p.arg(0), p.arg(1))) return 1;
  s.ui.say("Use '" + s.ui.cyan("cupola target") + "' to view or set your target org and space.");
  return 0;
}

int run_logout(Session& s, const Parsed&) {
  s.ui.say("Logging out " + s.ui.cyan(s.user()) + "...");
  s.config.clear_session();
  s.save();
  s.ui.ok();
  return 0;
}

int run_target(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  if (p.has("o")) {
    if (!target_org(s, p.value("o"))) return 1;
    if (!p.has("s")) {
      auto spaces = s.cc().list("/v3/spaces?order_by=name&organization_guids=" + s.config.org_guid);
      if (spaces && spaces->Size() == 1) target_space(s, (*spaces)[0]["name"].GetString());
    }
  }
  if (p.has("s")) {
    if (!s.require_org() || !target_space(s, p.value("s"))) return 1;
  }
  s.save();
  show_target(s);
  if (s.config.org_guid.empty()) {
    s.ui.say("\nNo org or space targeted, use 'cupola target -o ORG -s SPACE'");
  } else if (s.config.space_guid.empty()) {
    s.ui.say("\nNo space targeted, use 'cupola target -s SPACE'");
  }
  return 0;
}

int run_oauth_token(Session& s, const Parsed&) {
  if (!s.require_login()) return 1;
  auto fresh = s.cc().refresh();
  if (!fresh) return s.fail(fresh.error());
  s.ui.say("bearer " + fresh->access);
  return 0;
}

}  // namespace

void add_session_commands(std::vector<Command>& out) {
  const FlagSpec skip_ssl{"skip-ssl-validation", 0, "", "Skip verification of the API endpoint"};
  out.push_back({{.name = "api",
                  .summary = "Set or view target api url",
                  .usage = "cupola api [URL] [--skip-ssl-validation]",
                  .optional_args = 1,
                  .flags = {skip_ssl}},
                 run_api});
  out.push_back(
      {{.name = "login",
        .aliases = {"l"},
        .summary = "Log user in",
        .usage = "cupola login [-a API_URL] [-u USERNAME] [-p PASSWORD] [-o ORG] [-s SPACE] "
                 "[--skip-ssl-validation]",
        .flags = {{"a", 'a', "API_URL", "API endpoint (e.g. https://api.example.com)"},
                  {"u", 'u', "USERNAME", "Username"},
                  {"p", 'p', "PASSWORD", "Password"},
                  {"o", 'o', "ORG", "Org"},
                  {"s", 's', "SPACE", "Space"},
                  skip_ssl}},
       run_login});
  out.push_back({{.name = "auth",
                  .summary = "Authenticate non-interactively",
                  .usage = "cupola auth USERNAME PASSWORD",
                  .required_args = {"USERNAME", "PASSWORD"}},
                 run_auth});
  out.push_back(
      {{.name = "logout", .aliases = {"lo"}, .summary = "Log user out", .usage = "cupola logout"},
       run_logout});
  out.push_back({{.name = "target",
                  .aliases = {"t"},
                  .summary = "Set or view the targeted org or space",
                  .usage = "cupola target [-o ORG] [-s SPACE]",
                  .flags = {{"o", 'o', "ORG", "Organization"}, {"s", 's', "SPACE", "Space"}}},
                 run_target});
  out.push_back({{.name = "oauth-token",
                  .summary = "Retrieve and display the OAuth token for the current session",
                  .usage = "cupola oauth-token"},
                 run_oauth_token});
}

}  // namespace cupola::cli
