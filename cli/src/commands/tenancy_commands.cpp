// orgs, spaces, create-org, create-space, delete-org, delete-space.
#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

std::string role_json(const std::string& type, const std::string& user, const char* scope,
                      const std::string& guid) {
  return R"({"type": ")" + type + R"(", "relationships": {"user": {"data": {"guid": ")" + user +
         R"("}}, ")" + scope + R"(": {"data": {"guid": ")" + guid + R"("}}}})";
}

// Gives the current user a role in what they just made, as cf does; "" when it worked.
void assign_role(Session& s, const std::string& shown, const std::string& type, const char* scope,
                 const std::string& guid, const std::string& where) {
  s.ui.say("Assigning role " + shown + " to user " + s.ui.cyan(s.user()) + " in " + where + " as " +
           s.ui.cyan(s.user()) + "...");
  std::string user = user_id_of_token(s.config.access_token);
  auto made = s.cc().post("/v3/roles", role_json(type, user, scope, guid));
  if (!made && cc::api::status_of(made.error()) != 422) {
    s.ui.warn(made.error().message);
  }
  s.ui.ok();
}

int list_names(Session& s, const Parsed& p, const std::string& path) {
  auto all = s.cc().list(path);
  if (!all) return s.fail(all.error());
  if (p.has("json")) {
    say_json(s, *all);
    return 0;
  }
  s.ui.say("");
  if (all->Empty()) {
    s.ui.say("No " + std::string(path.find("spaces") != std::string::npos ? "spaces" : "orgs") +
             " found.");
    return 0;
  }
  Table rows = {{"name"}};
  for (const auto& r : all->GetArray()) rows.push_back({str(r, "name")});
  s.ui.table(rows);
  return 0;
}

int run_orgs(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  if (!p.has("json")) s.ui.say("Getting orgs as " + s.ui.cyan(s.user()) + "...");
  return list_names(s, p, "/v3/organizations?order_by=name&per_page=5000");
}

int run_spaces(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  if (!p.has("json")) {
    s.ui.say("Getting spaces in org " + s.ui.cyan(s.config.org_name) + " as " +
             s.ui.cyan(s.user()) + "...");
  }
  return list_names(
      s, p, "/v3/spaces?order_by=name&per_page=5000&organization_guids=" + s.config.org_guid);
}

int run_create_org(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  std::string name = p.arg(0);
  s.ui.say("Creating org " + s.ui.cyan(name) + " as " + s.ui.cyan(s.user()) + "...");
  auto made = s.cc().post("/v3/organizations", R"({"name": )" + cc::api::quote(name) + "}");
  if (!made) {
    if (cc::api::status_of(made.error()) == 422 &&
        (made.error().message.find("already") != std::string::npos ||
         made.error().message.find("unique") != std::string::npos)) {
      s.ui.warn("Organization '" + name + "' already exists.");
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  s.ui.ok();
  assign_role(s, "OrgManager", "organization_manager", "organization", str(*made, "guid"),
              "org " + s.ui.cyan(name));
  s.ui.tip("Use 'cupola target -o \"" + name + "\"' to target new org");
  return 0;
}

int run_create_space(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  Named org{s.config.org_guid, s.config.org_name};
  if (p.has("o")) {
    auto found = lookup_org(s, p.value("o"));
    if (!found) return s.fail(found.error());
    org = *found;
  } else if (!s.require_org()) {
    return 1;
  }
  std::string name = p.arg(0);
  s.ui.say("Creating space " + s.ui.cyan(name) + " in org " + s.ui.cyan(org.name) + " as " +
           s.ui.cyan(s.user()) + "...");
  auto made =
      s.cc().post("/v3/spaces", R"({"name": )" + cc::api::quote(name) +
                                    R"(, "relationships": {"organization": {"data": {"guid": ")" +
                                    org.guid + R"("}}}})");
  if (!made) {
    if (cc::api::status_of(made.error()) == 422 &&
        (made.error().message.find("already") != std::string::npos ||
         made.error().message.find("unique") != std::string::npos)) {
      s.ui.warn("Space '" + name + "' already exists.");
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  s.ui.ok();
  std::string where = "org " + s.ui.cyan(org.name) + " / space " + s.ui.cyan(name);
  assign_role(s, "SpaceManager", "space_manager", "space", str(*made, "guid"), where);
  assign_role(s, "SpaceDeveloper", "space_developer", "space", str(*made, "guid"), where);
  s.ui.tip("Use 'cupola target -o \"" + org.name + "\" -s \"" + name + "\"' to target new space");
  return 0;
}

int run_delete_org(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  std::string name = p.arg(0);
  if (!confirmed(s, p,
                 "Really delete the org " + name +
                     ", including its spaces, apps, "
                     "service instances, routes, private domains and space-scoped service "
                     "brokers?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting org " + s.ui.cyan(name) + " as " + s.ui.cyan(s.user()) + "...");
  auto org = lookup_org(s, name);
  if (!org) {
    s.ui.warn("Org '" + name + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove("/v3/organizations/" + org->guid); !gone)
    return s.fail(gone.error());
  if (s.config.org_guid == org->guid) {
    s.config.org_guid.clear();
    s.config.org_name.clear();
    s.config.space_guid.clear();
    s.config.space_name.clear();
    s.save();
  }
  s.ui.ok();
  return 0;
}

int run_delete_space(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  std::string name = p.arg(0);
  if (!confirmed(s, p, "Really delete the space " + name + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting space " + s.ui.cyan(name) + " in org " + s.ui.cyan(s.config.org_name) +
           " as " + s.ui.cyan(s.user()) + "...");
  auto space = lookup_space(s, name);
  if (!space) {
    s.ui.warn("Space '" + name + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove("/v3/spaces/" + space->guid); !gone) return s.fail(gone.error());
  if (s.config.space_guid == space->guid) {
    s.config.space_guid.clear();
    s.config.space_name.clear();
    s.save();
  }
  s.ui.ok();
  return 0;
}

}  // namespace

void add_tenancy_commands(std::vector<Command>& out) {
  const FlagSpec force{"f", 'f', "", "Force deletion without confirmation"};
  out.push_back({{.name = "orgs",
                  .aliases = {"o"},
                  .summary = "List all orgs",
                  .usage = "cupola orgs [--json]",
                  .flags = {kJsonFlag}},
                 run_orgs});
  out.push_back({{.name = "spaces",
                  .summary = "List all spaces in an org",
                  .usage = "cupola spaces [--json]",
                  .flags = {kJsonFlag}},
                 run_spaces});
  out.push_back({{.name = "create-org",
                  .aliases = {"co"},
                  .summary = "Create an org",
                  .usage = "cupola create-org ORG",
                  .required_args = {"ORG"}},
                 run_create_org});
  out.push_back({{.name = "create-space",
                  .aliases = {"csp"},
                  .summary = "Create a space",
                  .usage = "cupola create-space SPACE [-o ORG]",
                  .required_args = {"SPACE"},
                  .flags = {{"o", 'o', "ORG", "Organization"}}},
                 run_create_space});
  out.push_back({{.name = "delete-org",
                  .summary = "Delete an org",
                  .usage = "cupola delete-org ORG [-f]",
                  .required_args = {"ORG"},
                  .flags = {force}},
                 run_delete_org});
  out.push_back({{.name = "delete-space",
                  .summary = "Delete a space",
                  .usage = "cupola delete-space SPACE [-f]",
                  .required_args = {"SPACE"},
                  .flags = {force}},
                 run_delete_space});
}

}  // namespace cupola::cli
