// Service brokers and the marketplace: create-service-broker, update-service-broker,
// delete-service-broker, service-brokers, service-access, enable-service-access,
// disable-service-access, marketplace.
#include <map>
#include <set>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::quote;
using cc::api::url_encode;

Result<json::Document> lookup_broker(Session& s, const std::string& name) {
  auto found = s.cc().list("/v3/service_brokers?names=" + url_encode(name));
  if (!found) return std::move(found).error();
  if (found->Empty()) {
    return Error{make_error_code(Errc::NotFound), "Service broker '" + name + "' not found."};
  }
  json::Document one;
  one.CopyFrom((*found)[0], one.GetAllocator());
  return one;
}

std::string broker_body(const std::string& name, const std::string& user,
                        const std::string& password, const std::string& url) {
  return R"({"name": )" + quote(name) + R"(, "url": )" + quote(url) +
         R"(, "authentication": {"type": "basic", "credentials": {"username": )" + quote(user) +
         R"(, "password": )" + quote(password) + "}}}";
}

int run_create_broker(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  bool scoped = p.has("space-scoped");
  if (scoped && !s.require_space()) return 1;
  if (scoped) {
    s.ui.say("Creating service broker " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  } else {
    s.ui.say("Creating service broker " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) +
             "...");
  }
  std::string body = broker_body(p.arg(0), p.arg(1), p.arg(2), p.arg(3));
  if (scoped) {
    body.pop_back();
    body +=
        R"(, "relationships": {"space": {"data": {"guid": ")" + s.config.space_guid + R"("}}}})";
  }
  auto made = s.cc().call("POST", "/v3/service_brokers", body);
  if (!made) return s.fail(made.error());
  if (!made->location.empty()) {
    if (auto job = s.cc().wait_job(made->location); !job) return s.fail(job.error());
  }
  s.ui.ok();
  return 0;
}

int run_update_broker(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Updating service broker " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...");
  auto broker = lookup_broker(s, p.arg(0));
  if (!broker) return s.fail(broker.error());
  auto changed = s.cc().call("PATCH", "/v3/service_brokers/" + str(*broker, "guid"),
                             broker_body(p.arg(0), p.arg(1), p.arg(2), p.arg(3)));
  if (!changed) return s.fail(changed.error());
  if (!changed->location.empty()) {
    if (auto job = s.cc().wait_job(changed->location); !job) return s.fail(job.error());
  }
  s.ui.ok();
  return 0;
}

int run_delete_broker(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  if (!confirmed(s, p, "Really delete the service broker " + p.arg(0) + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting service broker " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...");
  auto broker = lookup_broker(s, p.arg(0));
  if (!broker) {
    s.ui.warn("Service broker '" + p.arg(0) + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove("/v3/service_brokers/" + str(*broker, "guid")); !gone) {
    return s.fail(gone.error());
  }
  s.ui.ok();
  return 0;
}

int run_service_brokers(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  if (!p.has("json")) s.ui.say("Getting service brokers as " + s.ui.cyan(s.user()) + "...\n");
  auto brokers = s.cc().list("/v3/service_brokers?order_by=name&per_page=5000");
  if (!brokers) return s.fail(brokers.error());
  if (p.has("json")) {
    say_json(s, *brokers);
    return 0;
  }
  if (brokers->Empty()) {
    s.ui.say("No service brokers found");
    return 0;
  }
  Table rows = {{"name", "url"}};
  for (const auto& b : brokers->GetArray()) rows.push_back({str(b, "name"), str(b, "url")});
  s.ui.table(rows);
  return 0;
}

// The plans of the filters, with their offering and broker names (from "included").
struct PlanRow {
  std::string guid, name, description, visibility, broker, offering, offering_description;
  bool free = true;
};

Result<std::vector<PlanRow>> plans_of(Session& s, const std::string& offering,
                                      const std::string& broker, const std::string& plan) {
  std::string path =
      "/v3/service_plans?per_page=5000&include=service_offering&fields%5Bservice_offering."
      "service_broker%5D=name,guid";
  if (!offering.empty()) path += "&service_offering_names=" + url_encode(offering);
  if (!broker.empty()) path += "&service_broker_names=" + url_encode(broker);
  if (!plan.empty()) path += "&names=" + url_encode(plan);
  auto page = s.cc().get(path);
  if (!page) return std::move(page).error();
  std::map<std::string, std::pair<std::string, std::string>> offerings;  // guid -> name, broker
  std::map<std::string, std::string> descriptions, brokers;
  if (const json::Value* inc = at(*page, {"included", "service_brokers"}); inc && inc->IsArray()) {
    for (const auto& b : inc->GetArray()) brokers[str(b, "guid")] = str(b, "name");
  }
  if (const json::Value* inc = at(*page, {"included", "service_offerings"});
      inc && inc->IsArray()) {
    for (const auto& o : inc->GetArray()) {
      const json::Value* b = at(o, {"relationships", "service_broker", "data", "guid"});
      offerings[str(o, "guid")] = {str(o, "name"),
                                   b && b->IsString() ? brokers[b->GetString()] : ""};
      descriptions[str(o, "guid")] = str(o, "description");
    }
  }
  std::vector<PlanRow> out;
  for (const auto& p : (*page)["resources"].GetArray()) {
    const json::Value* o = at(p, {"relationships", "service_offering", "data", "guid"});
    std::string og = o && o->IsString() ? o->GetString() : "";
    PlanRow r{
        str(p, "guid"),       str(p, "name"),      str(p, "description"), str(p, "visibility_type"),
        offerings[og].second, offerings[og].first, descriptions[og]};
    r.free = p.HasMember("free") && p["free"].IsBool() && p["free"].GetBool();
    out.push_back(std::move(r));
  }
  return out;
}

int run_service_access(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Getting service access as " + s.ui.cyan(s.user()) + "...");
  auto plans = plans_of(s, p.value("e"), p.value("b"), "");
  if (!plans) return s.fail(plans.error());
  std::map<std::string, Table> by_broker;
  for (const auto& r : *plans) {
    std::string access = r.visibility == "public"  ? "all"
                         : r.visibility == "admin" ? "none"
                                                   : "limited";
    std::string orgs;
    if (r.visibility == "organization") {
      auto v = s.cc().get("/v3/service_plans/" + r.guid + "/visibility");
      if (v && v->HasMember("organizations")) {
        for (const auto& o : (*v)["organizations"].GetArray()) {
          orgs += (orgs.empty() ? "" : ",") + str(o, "name");
        }
      }
    }
    by_broker[r.broker].push_back({"   " + r.offering, r.name, access, orgs});
  }
  if (by_broker.empty()) s.ui.say("\nNo service plans found.");
  for (auto& [broker, rows] : by_broker) {
    s.ui.say("\nbroker: " + broker);
    rows.insert(rows.begin(), {"   offering", "plan", "access", "orgs"});
    s.ui.table(rows);
  }
  return 0;
}

// enable-service-access and disable-service-access.
int change_access(Session& s, const Parsed& p, bool enable) {
  if (!s.require_login()) return 1;
  std::string what = p.has("p")
                         ? "access to plan " + s.ui.cyan(p.value("p")) + " of service offering "
                         : "access to all plans of service offering ";
  std::string who = p.has("o") ? " for org " + s.ui.cyan(p.value("o")) : " for all orgs";
  s.ui.say(std::string(enable ? "Enabling " : "Disabling ") + what + s.ui.cyan(p.arg(0)) + who +
           " as " + s.ui.cyan(s.user()) + "...");
  auto plans = plans_of(s, p.arg(0), p.value("b"), p.value("p"));
  if (!plans) return s.fail(plans.error());
  if (plans->empty()) {
    return s.fail(p.has("p") ? "The plan " + p.value("p") +
                                   " could not be found for service offering " + p.arg(0)
                             : "Service offering '" + p.arg(0) + "' not found.");
  }
  std::set<std::string> brokers;
  for (const auto& r : *plans) brokers.insert(r.broker);
  if (brokers.size() > 1) {
    return s.fail("Service offering '" + p.arg(0) +
                  "' is provided by multiple service brokers. "
                  "Specify a broker by using the '-b' flag.");
  }
  std::string org_guid;
  if (p.has("o")) {
    auto org = lookup_org(s, p.value("o"));
    if (!org) return s.fail(org.error());
    org_guid = org->guid;
  }
  for (const auto& r : *plans) {
    std::string path = "/v3/service_plans/" + r.guid + "/visibility";
    Result<cc::api::Answer> done = Error{};
    if (enable && org_guid.empty()) {
      done = s.cc().call("PATCH", path, R"({"type": "public"})");
    } else if (enable) {
      if (r.visibility == "public") continue;  // already visible to every org
      done = s.cc().call(
          "POST", path,
          R"({"type": "organization", "organizations": [{"guid": ")" + org_guid + R"("}]})");
    } else if (org_guid.empty()) {
      done = s.cc().call("PATCH", path, R"({"type": "admin"})");
    } else {
      if (r.visibility == "public") {
        return s.fail("Cannot remove organization level access for public plans.");
      }
      done = s.cc().call("DELETE", path + "/" + org_guid);
      if (!done && cc::api::status_of(done.error()) == 404) continue;
    }
    if (!done) return s.fail(done.error());
  }
  s.ui.ok();
  return 0;
}

int run_marketplace(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  std::string where =
      s.config.space_guid.empty() ? "as " + s.ui.cyan(s.user()) + "..." : in_target(s);
  if (p.has("e")) {
    s.ui.say("Getting service plan information for service offering " + s.ui.cyan(p.value("e")) +
             " " + where);
  } else {
    s.ui.say("Getting all service offerings from marketplace " + where);
  }
  auto plans = plans_of(s, p.value("e"), p.value("b"), "");
  if (!plans) return s.fail(plans.error());
  if (plans->empty()) {
    if (p.has("e")) return s.fail("Service offering '" + p.value("e") + "' not found.");
    s.ui.say("\nNo service offerings found.");
    return 0;
  }
  if (p.has("e")) {
    std::map<std::string, Table> by_broker;
    for (const auto& r : *plans) {
      by_broker[r.broker].push_back({"   " + r.name, r.description, r.free ? "free" : "paid", ""});
    }
    for (auto& [broker, rows] : by_broker) {
      s.ui.say("\nbroker: " + broker);
      rows.insert(rows.begin(), {"   plan", "description", "free or paid", "costs"});
      s.ui.table(rows);
    }
    return 0;
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> offerings;
  std::map<std::pair<std::string, std::string>, std::string> descriptions;
  for (const auto& r : *plans) {
    offerings[{r.offering, r.broker}].push_back(r.name);
    descriptions[{r.offering, r.broker}] = r.offering_description;
  }
  Table rows = {{"offering", "plans", "description", "broker"}};
  for (const auto& [key, names] : offerings) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    rows.push_back({key.first, list, descriptions[key], key.second});
  }
  s.ui.say("");
  s.ui.table(rows);
  s.ui.tip(
      "Use 'cupola marketplace -e SERVICE_OFFERING' to view descriptions of individual plans "
      "of a given service offering.");
  return 0;
}

}  // namespace

void add_broker_commands(std::vector<Command>& out) {
  const std::vector<std::string> broker_args = {"SERVICE_BROKER", "USERNAME", "PASSWORD", "URL"};
  out.push_back(
      {{.name = "create-service-broker",
        .aliases = {"csb"},
        .summary = "Create a service broker",
        .usage = "cupola create-service-broker SERVICE_BROKER USERNAME PASSWORD URL "
                 "[--space-scoped]",
        .required_args = broker_args,
        .flags = {{"space-scoped", 0, "",
                   "Make the broker's service plans only visible within the targeted space"}}},
       run_create_broker});
  out.push_back({{.name = "update-service-broker",
                  .summary = "Update a service broker",
                  .usage = "cupola update-service-broker SERVICE_BROKER USERNAME PASSWORD URL",
                  .required_args = broker_args},
                 run_update_broker});
  out.push_back({{.name = "delete-service-broker",
                  .summary = "Delete a service broker",
                  .usage = "cupola delete-service-broker SERVICE_BROKER [-f]",
                  .required_args = {"SERVICE_BROKER"},
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"}}},
                 run_delete_broker});
  out.push_back({{.name = "service-brokers",
                  .summary = "List service brokers",
                  .usage = "cupola service-brokers [--json]",
                  .flags = {kJsonFlag}},
                 run_service_brokers});
  out.push_back({{.name = "service-access",
                  .summary = "List service access settings",
                  .usage = "cupola service-access [-b BROKER] [-e SERVICE_OFFERING]",
                  .flags = {{"b", 'b', "BROKER", "Access for plans of a particular broker"},
                            {"e", 'e', "SERVICE_OFFERING",
                             "Access for service offering of a particular service offering"}}},
                 run_service_access});
  const std::vector<FlagSpec> access_flags = {
      {"b", 'b', "BROKER", "Enable access to a service offering from a particular service broker"},
      {"o", 'o', "ORG", "Enable access for a specified organization"},
      {"p", 'p', "PLAN", "Enable access to a specified service plan"}};
  out.push_back(
      {{.name = "enable-service-access",
        .summary = "Enable access to a service offering or service plan for one or all orgs",
        .usage = "cupola enable-service-access SERVICE_OFFERING [-b BROKER] [-p PLAN] [-o ORG]",
        .required_args = {"SERVICE_OFFERING"},
        .flags = access_flags},
       [](Session& s, const Parsed& p) { return change_access(s, p, true); }});
  out.push_back(
      {{.name = "disable-service-access",
        .summary = "Disable access to a service offering or service plan for one or all orgs",
        .usage = "cupola disable-service-access SERVICE_OFFERING [-b BROKER] [-p PLAN] [-o ORG]",
        .required_args = {"SERVICE_OFFERING"},
        .flags = access_flags},
       [](Session& s, const Parsed& p) { return change_access(s, p, false); }});
  out.push_back({{.name = "marketplace",
                  .aliases = {"m"},
                  .summary = "List available offerings in the marketplace",
                  .usage = "cupola marketplace [-e SERVICE_OFFERING] [-b SERVICE_BROKER]",
                  .flags = {{"e", 'e', "SERVICE_OFFERING",
                             "Show plan details for a particular service offering"},
                            {"b", 'b', "SERVICE_BROKER",
                             "Only show details for a particular service broker"}}},
                 run_marketplace});
}

}  // namespace cupola::cli
