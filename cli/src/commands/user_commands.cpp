// create-user, delete-user, org-users, space-users, set-org-role, set-space-role,
// unset-org-role, unset-space-role: who may do what, and where.
#include <algorithm>
#include <map>
#include <optional>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::quote;
using cc::api::url_encode;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

struct RoleName {
  std::string shown;  // "OrgManager", as cf prints it
  std::string type;   // "organization_manager"
};

// cf's role words, in any letter case.
std::optional<RoleName> org_role(const std::string& word) {
  for (const auto& r : {RoleName{"OrgManager", "organization_manager"},
                        RoleName{"BillingManager", "organization_billing_manager"},
                        RoleName{"OrgAuditor", "organization_auditor"}}) {
    if (lower(word) == lower(r.shown)) return r;
  }
  return std::nullopt;
}

std::optional<RoleName> space_role(const std::string& word) {
  for (const auto& r :
       {RoleName{"SpaceManager", "space_manager"}, RoleName{"SpaceDeveloper", "space_developer"},
        RoleName{"SpaceAuditor", "space_auditor"}, RoleName{"SpaceSupporter", "space_supporter"}}) {
    if (lower(word) == lower(r.shown)) return r;
  }
  return std::nullopt;
}

const char* kOrgRoles = R"(ROLE must be "OrgManager", "BillingManager" and "OrgAuditor")";
const char* kSpaceRoles =
    R"(ROLE must be "SpaceManager", "SpaceDeveloper", "SpaceAuditor" or "SpaceSupporter")";

Error not_found(const std::string& text) { return Error{make_error_code(Errc::NotFound), text}; }

// A space of ORG by name.
Result<Named> space_of(Session& s, const Named& org, const std::string& name) {
  auto spaces =
      s.cc().list("/v3/spaces?names=" + url_encode(name) + "&organization_guids=" + org.guid);
  if (!spaces) return std::move(spaces).error();
  if (spaces->Empty()) return not_found("Space '" + name + "' not found.");
  return Named{str((*spaces)[0], "guid"), str((*spaces)[0], "name")};
}

// A role request naming the user by username (and origin, when given), as cf sends it.
std::string role_body(const std::string& type, const char* scope, const std::string& guid,
                      const std::string& username, const std::string& origin) {
  std::string user = R"({"username": )" + quote(username);
  if (!origin.empty()) user += R"(, "origin": )" + quote(origin);
  return R"({"type": ")" + type + R"(", "relationships": {")" + scope +
         R"(": {"data": {"guid": ")" + guid + R"("}}, "user": {"data": )" + user + "}}}}";
}

// The Cloud Controller's "User 'u' already has 'type' role in ..." refusal.
bool already_has(const Error& e) {
  return cc::api::status_of(e) == 422 && e.message.find("already has '") != std::string::npos;
}

std::string user_not_found(const std::string& username, const std::string& origin) {
  if (!origin.empty() && origin != "uaa") {
    return "User '" + username + "' with origin '" + origin + "' does not exist.";
  }
  return "User '" + username + "' does not exist.";
}

// The token service's users named USERNAME (of ORIGIN, when given), as SCIM resources.
Result<json::Document> uaa_users(Session& s, const std::string& username,
                                 const std::string& origin) {
  auto escape = [](const std::string& v) {
    std::string out;
    for (char c : v) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out;
  };
  std::string filter = "userName eq \"" + escape(username) + "\"";
  if (!origin.empty()) filter += " and origin eq \"" + escape(origin) + "\"";
  auto found = s.cc().get(s.config.token_url + "/Users?filter=" + url_encode(filter));
  if (!found) return std::move(found).error();
  json::Document out;
  out.SetArray();
  if (found->IsObject() && found->HasMember("resources") && (*found)["resources"].IsArray()) {
    out.CopyFrom((*found)["resources"], out.GetAllocator());
  }
  return out;
}

int run_create_user(Session& s, const Parsed& p) {
  std::string name = p.arg(0), origin = p.value("origin");
  if (p.args.size() < 2 && (origin.empty() || lower(origin) == "uaa")) {
    return usage_error(s, "create-user", "the required argument `PASSWORD` was not provided");
  }
  if (!s.require_login()) return 1;
  auto existing = uaa_users(s, name, origin.empty() ? "uaa" : origin);
  s.ui.say("Creating user " + s.ui.cyan(name) + "...");
  if (existing && !existing->Empty()) {
    s.ui.warn("User '" + name + "' already exists.");
    s.ui.ok();
    return 0;
  }
  // cf sends the origin as given ("" for the token service's own users).
  auto made = s.cc().post(
      s.config.token_url + "/Users",
      R"({"userName": )" + quote(name) + R"(, "password": )" + quote(p.arg(1)) + R"(, "origin": )" +
          quote(origin) + R"(, "name": {"familyName": )" + quote(name) + R"(, "givenName": )" +
          quote(name) + R"(}, "emails": [{"value": )" + quote(name) + R"(, "primary": true}]})");
  if (!made) {
    if (cc::api::status_of(made.error()) == 409) {
      s.ui.warn("User '" + name + "' already exists.");
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  auto known = s.cc().post("/v3/users", R"({"guid": )" + quote(str(*made, "id")) + "}");
  if (!known) return s.fail(known.error());
  s.ui.ok();
  s.ui.tip("Assign roles with 'cupola set-org-role' and 'cupola set-space-role'.");
  return 0;
}

int run_delete_user(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  std::string name = p.arg(0), origin = p.value("origin");
  if (!confirmed(s, p, "Really delete the user " + name + "?")) {
    s.ui.say("User '" + name + "' has not been deleted.");
    s.ui.ok();
    return 0;
  }
  s.ui.say("Deleting user " + s.ui.cyan(name) + " as " + s.ui.cyan(s.user()) + "...");
  auto users = uaa_users(s, name, origin);
  if (!users) return s.fail(users.error());
  if (users->Empty()) {
    s.ui.say(user_not_found(name, origin));
    s.ui.ok();
    return 0;
  }
  if (users->Size() > 1) {
    std::string origins;
    for (const auto& u : users->GetArray())
      origins += (origins.empty() ? "" : ", ") + str(u, "origin");
    return s.fail("The username '" + name + "' is found in multiple origins: " + origins + ".");
  }
  std::string guid = str((*users)[0], "id");
  auto gone = s.cc().remove("/v3/users/" + guid);
  if (!gone && cc::api::status_of(gone.error()) != 404) return s.fail(gone.error());
  if (auto uaa_gone = s.cc().call("DELETE", s.config.token_url + "/Users/" + guid); !uaa_gone) {
    return s.fail(uaa_gone.error());
  }
  s.ui.ok();
  return 0;
}

struct Member {
  std::string guid, name, origin;
};

// The users holding each role type where FILTER says ("organization_guids=..."), from the
// roles and their included users.
Result<std::map<std::string, std::vector<Member>>> members(Session& s, const std::string& filter) {
  std::map<std::string, Member> users;
  std::vector<std::pair<std::string, std::string>> roles;  // type, user guid
  std::string next = "/v3/roles?include=user&per_page=5000&" + filter;
  for (int page = 0; page < 100 && !next.empty(); ++page) {
    auto doc = s.cc().get(next);
    if (!doc) return std::move(doc).error();
    if (const json::Value* rs = at(*doc, {"resources"}); rs && rs->IsArray()) {
      for (const auto& r : rs->GetArray()) {
        const json::Value* user = at(r, {"relationships", "user", "data", "guid"});
        if (user && user->IsString()) roles.emplace_back(str(r, "type"), user->GetString());
      }
    }
    if (const json::Value* us = at(*doc, {"included", "users"}); us && us->IsArray()) {
      for (const auto& u : us->GetArray()) {
        std::string origin = str(u, "origin");
        users[str(u, "guid")] = {str(u, "guid"), str(u, "presentation_name"),
                                 origin.empty() ? "client" : origin};
      }
    }
    const json::Value* href = at(*doc, {"pagination", "next", "href"});
    next = href && href->IsString() ? href->GetString() : "";
  }
  std::map<std::string, std::vector<Member>> out;
  for (const auto& [type, guid] : roles) {
    auto it = users.find(guid);
    out[type].push_back(it != users.end() ? it->second : Member{guid, guid, "client"});
  }
  return out;
}

// A heading in bold, then "  name (origin)" per user (cf's order), or "  No LABEL found".
void show_group(Session& s, std::vector<Member> group, const std::string& label) {
  std::sort(group.begin(), group.end(), [](const Member& a, const Member& b) {
    if (a.name != b.name) return a.name < b.name;
    if (a.origin == "uaa" || b.origin == "uaa") return a.origin == "uaa" && b.origin != "uaa";
    return a.origin < b.origin;
  });
  s.ui.say(s.ui.bold(label));
  for (const auto& m : group) s.ui.say("  " + m.name + " (" + m.origin + ")");
  if (group.empty()) s.ui.say("  No " + label + " found");
  s.ui.say("");
}

int run_org_users(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Getting users in org " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...\n");
  auto org = lookup_org(s, p.arg(0));
  if (!org) return s.fail(org.error());
  auto by_type = members(s, "organization_guids=" + org->guid);
  if (!by_type) return s.fail(by_type.error());
  auto& m = *by_type;
  if (p.has("all-users")) {
    std::vector<Member> all;
    for (const char* type : {"organization_user", "organization_manager",
                             "organization_billing_manager", "organization_auditor"}) {
      for (const auto& u : m[type]) {
        auto same = [&u](const Member& x) { return x.guid == u.guid; };
        if (std::none_of(all.begin(), all.end(), same)) all.push_back(u);
      }
    }
    show_group(s, all, "ORG USERS");
    return 0;
  }
  show_group(s, m["organization_manager"], "ORG MANAGER");
  show_group(s, m["organization_billing_manager"], "BILLING MANAGER");
  show_group(s, m["organization_auditor"], "ORG AUDITOR");
  return 0;
}

int run_space_users(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Getting users in org " + s.ui.cyan(p.arg(0)) + " / space " + s.ui.cyan(p.arg(1)) +
           " as " + s.ui.cyan(s.user()) + "...\n");
  auto org = lookup_org(s, p.arg(0));
  if (!org) return s.fail(org.error());
  auto space = space_of(s, *org, p.arg(1));
  if (!space) return s.fail(space.error());
  auto by_type = members(s, "space_guids=" + space->guid);
  if (!by_type) return s.fail(by_type.error());
  show_group(s, (*by_type)["space_manager"], "SPACE MANAGER");
  show_group(s, (*by_type)["space_developer"], "SPACE DEVELOPER");
  show_group(s, (*by_type)["space_supporter"], "SPACE SUPPORTER");
  show_group(s, (*by_type)["space_auditor"], "SPACE AUDITOR");
  return 0;
}

// set-org-role, set-space-role: ARGS are USERNAME ORG [SPACE] ROLE.
int run_set_role(Session& s, const Parsed& p, bool in_space) {
  const std::string& word = p.arg(in_space ? 3 : 2);
  auto role = in_space ? space_role(word) : org_role(word);
  if (!role) {
    return usage_error(s, in_space ? "set-space-role" : "set-org-role",
                       in_space ? kSpaceRoles : kOrgRoles);
  }
  if (!s.require_login()) return 1;
  std::string user = p.arg(0), origin = p.value("origin");
  std::string where = "org " + s.ui.cyan(p.arg(1));
  if (in_space) where += " / space " + s.ui.cyan(p.arg(2));
  s.ui.say("Assigning role " + s.ui.cyan(role->shown) + " to user " + s.ui.cyan(user) + " in " +
           where + " as " + s.ui.cyan(s.user()) + "...");
  auto org = lookup_org(s, p.arg(1));
  if (!org) return s.fail(org.error());
  std::string body = role_body(role->type, "organization", org->guid, user, origin);
  if (in_space) {
    auto space = space_of(s, *org, p.arg(2));
    if (!space) return s.fail(space.error());
    // A space role needs an org role: cf gives organization_user first.
    auto member = s.cc().post(
        "/v3/roles", role_body("organization_user", "organization", org->guid, user, origin));
    if (!member && !already_has(member.error()) && cc::api::status_of(member.error()) != 403) {
      return s.fail(member.error());
    }
    body = role_body(role->type, "space", space->guid, user, origin);
  }
  auto made = s.cc().post("/v3/roles", body);
  if (!made) {
    if (!already_has(made.error())) return s.fail(made.error());
    std::string place = "org '" + p.arg(1) + "'" + (in_space ? " / space '" + p.arg(2) + "'" : "");
    s.ui.warn("User '" + user + "' already has role '" + role->shown + "' in " + place + ".");
  }
  s.ui.ok();
  return 0;
}

// unset-org-role, unset-space-role: nothing to do when the user lacks the role.
int run_unset_role(Session& s, const Parsed& p, bool in_space) {
  const std::string& word = p.arg(in_space ? 3 : 2);
  auto role = in_space ? space_role(word) : org_role(word);
  if (!role) {
    return usage_error(s, in_space ? "unset-space-role" : "unset-org-role",
                       in_space ? kSpaceRoles : kOrgRoles);
  }
  if (!s.require_login()) return 1;
  std::string user = p.arg(0), origin = p.value("origin");
  std::string where = "org " + s.ui.cyan(p.arg(1));
  if (in_space) where += " / space " + s.ui.cyan(p.arg(2));
  s.ui.say("Removing role " + s.ui.cyan(role->shown) + " from user " + s.ui.cyan(user) + " in " +
           where + " as " + s.ui.cyan(s.user()) + "...");
  auto org = lookup_org(s, p.arg(1));
  if (!org) return s.fail(org.error());
  std::string scope = "organization_guids=" + org->guid;
  if (in_space) {
    auto space = space_of(s, *org, p.arg(2));
    if (!space) return s.fail(space.error());
    scope = "space_guids=" + space->guid;
  }
  std::string query = "/v3/users?usernames=" + url_encode(user);
  if (!origin.empty()) query += "&origins=" + url_encode(origin);
  auto users = s.cc().list(query);
  if (!users) return s.fail(users.error());
  if (users->Empty()) return s.fail(user_not_found(user, origin));
  if (users->Size() > 1) {
    std::vector<std::string> origins;
    for (const auto& u : users->GetArray()) origins.push_back(str(u, "origin"));
    std::sort(origins.begin(), origins.end());
    std::string joined;
    for (const auto& o : origins) joined += (joined.empty() ? "" : ", ") + o;
    return s.fail("Ambiguous user. User with username '" + user +
                  "' exists in the following origins: " + joined +
                  ". Specify an origin to disambiguate.");
  }
  auto roles = s.cc().get("/v3/roles?user_guids=" + str((*users)[0], "guid") +
                          "&types=" + role->type + "&" + scope + "&per_page=1");
  if (!roles) return s.fail(roles.error());
  const json::Value* found = at(*roles, {"resources"});
  if (found && found->IsArray() && !found->Empty()) {
    auto gone = s.cc().call("DELETE", "/v3/roles/" + str((*found)[0], "guid"));
    if (!gone) return s.fail(gone.error());
    if (!gone->location.empty()) {
      if (auto job = s.cc().wait_job(gone->location); !job) return s.fail(job.error());
    }
  }
  s.ui.ok();
  return 0;
}

}  // namespace

void add_user_commands(std::vector<Command>& out) {
  const FlagSpec origin{"origin", 0, "ORIGIN",
                        "Indicates the identity provider to be used for authentication"};
  const std::string org_roles =
      "\nROLES:\n   OrgManager - Invite and manage users, select and change plans, and set "
      "spending limits\n   BillingManager - Create and manage the billing account and payment "
      "info\n   OrgAuditor - Read-only access to org info and reports";
  const std::string space_roles =
      "\nROLES:\n   SpaceManager - Invite and manage users, and enable features for a given "
      "space\n   SpaceDeveloper - Create and manage apps and services, and see logs and "
      "reports\n   SpaceAuditor - View logs, reports, and settings on this space\n   "
      "SpaceSupporter - Manage app lifecycle and service bindings";
  out.push_back(
      {{.name = "create-user",
        .summary = "Create a new user",
        .usage = "cupola create-user USERNAME PASSWORD\n   cupola create-user USERNAME "
                 "[--origin ORIGIN]",
        .required_args = {"USERNAME"},
        .optional_args = 1,
        .flags = {{"origin", 0, "ORIGIN",
                   "Origin for mapping a user account to a user in an external "
                   "identity provider"}},
        .examples = "   cupola create-user j.smith@example.com S3cr3t   # internal user\n"},
       run_create_user});
  out.push_back({{.name = "delete-user",
                  .summary = "Delete a user",
                  .usage = "cupola delete-user USERNAME [-f]\n   cupola delete-user USERNAME "
                           "[--origin ORIGIN]",
                  .required_args = {"USERNAME"},
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"}, origin}},
                 run_delete_user});
  out.push_back({{.name = "org-users",
                  .summary = "Show org users by role",
                  .usage = "cupola org-users ORG",
                  .required_args = {"ORG"},
                  .flags = {{"all-users", 'a', "",
                             "List all users with roles in the org or in spaces within the org"}}},
                 run_org_users});
  out.push_back({{.name = "space-users",
                  .summary = "Show space users by role",
                  .usage = "cupola space-users ORG SPACE",
                  .required_args = {"ORG", "SPACE"}},
                 run_space_users});
  auto role_command = [&](const char* name, const char* summary, bool in_space, bool set) {
    std::string usage = std::string("cupola ") + name +
                        (in_space ? " USERNAME ORG SPACE ROLE" : " USERNAME ORG ROLE");
    std::vector<std::string> args = {"USERNAME", "ORG"};
    if (in_space) args.push_back("SPACE");
    args.push_back("ROLE");
    out.push_back({{.name = name,
                    .summary = summary,
                    .usage = usage + "\n   " + usage + " [--origin ORIGIN]\n" +
                             (in_space ? space_roles : org_roles),
                    .required_args = args,
                    .flags = {origin}},
                   [in_space, set](Session& s, const Parsed& p) {
                     return set ? run_set_role(s, p, in_space) : run_unset_role(s, p, in_space);
                   }});
  };
  role_command("set-org-role", "Assign an org role to a user", false, true);
  role_command("set-space-role", "Assign a space role to a user", true, true);
  role_command("unset-org-role", "Remove an org role from a user", false, false);
  role_command("unset-space-role", "Remove a space role from a user", true, false);
}

}  // namespace cupola::cli
