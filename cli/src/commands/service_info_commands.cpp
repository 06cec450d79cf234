// Looking at service instances, managed and user-provided: services and service, in cf v8's
// layout (offering, plan and broker names come with the instances through `fields`).
#include <map>
#include <set>

#include "cli/src/commands/lookup.h"
#include "cli/src/commands/service_flow.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

int run_services(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!p.has("json")) s.ui.say("Getting service instances " + in_target(s) + "\n");
  auto page = list_with_included(
      s, "/v3/service_instances?order_by=name&per_page=5000&space_guids=" + s.config.space_guid +
             kPlanFields);
  if (!page) return s.fail(page.error());
  const json::Value& instances = (*page)["resources"];
  if (p.has("json")) {
    say_json(s, instances);
    return 0;
  }
  if (instances.Empty()) {
    s.ui.say("No service instances found.");
    return 0;
  }
  std::set<std::string> plan_guids;
  for (const auto& i : instances.GetArray()) {
    const json::Value* plan = at(i, {"relationships", "service_plan", "data", "guid"});
    if (str(i, "type") != "user-provided" && plan != nullptr && plan->IsString()) {
      plan_guids.insert(plan->GetString());
    }
  }
  PlanIndex plans = resolve_plan_names(s, *page, {plan_guids.begin(), plan_guids.end()});
  // Bound apps are a courtesy: the table still prints when they cannot be read.
  std::map<std::string, std::string> app_names;
  if (auto apps = s.cc().list("/v3/apps?per_page=5000&space_guids=" + s.config.space_guid)) {
    for (const auto& a : apps->GetArray()) app_names[str(a, "guid")] = str(a, "name");
  }
  std::map<std::string, std::string> bound;
  if (auto bindings = s.cc().list("/v3/service_credential_bindings?type=app&per_page=5000")) {
    bound = bound_app_names(*bindings, app_names);
  }
  s.ui.table(services_table(instances, plans, bound));
  return 0;
}

// "Showing bound apps:" and the instance's app bindings, indented as cf v8 prints them.
void show_bound_apps(Session& s, const std::string& instance_guid) {
  s.ui.say("Showing bound apps:");
  auto bindings = s.cc().list("/v3/service_credential_bindings?type=app&service_instance_guids=" +
                              instance_guid);
  if (!bindings || bindings->Empty()) {
    s.ui.say("   There are no bound apps for this service instance.");
    return;
  }
  Table rows = {{"   name", "binding name", "status", "message"}};
  for (const auto& b : bindings->GetArray()) {
    const json::Value* app = at(b, {"relationships", "app", "data", "guid"});
    std::string name;
    if (app != nullptr && app->IsString()) {
      if (auto a = s.cc().get(std::string("/v3/apps/") + app->GetString())) name = str(*a, "name");
    }
    const json::Value* op = at(b, {"last_operation"});
    rows.push_back({"   " + name, str(b, "name"), last_operation_text(b),
                    op != nullptr ? str(*op, "description") : ""});
  }
  s.ui.table(rows);
}

std::string tags_of(const json::Value& v) {
  std::string tags;
  if (const json::Value* t = at(v, {"tags"}); t != nullptr && t->IsArray()) {
    for (const auto& tag : t->GetArray()) {
      if (tag.IsString()) tags += (tags.empty() ? "" : ", ") + std::string(tag.GetString());
    }
  }
  return tags;
}

void show_user_provided(Session& s, const json::Value& instance) {
  s.ui.key_values({{"name", str(instance, "name")},
                   {"guid", str(instance, "guid")},
                   {"type", str(instance, "type")},
                   {"tags", tags_of(instance)},
                   {"route service url", str(instance, "route_service_url")},
                   {"syslog drain url", str(instance, "syslog_drain_url")}});
}

void show_managed(Session& s, const json::Value& instance, const PlanNames& names) {
  // The offering's own document has what `fields` leaves out: description, docs, tags.
  json::Document offering;
  if (!names.offering_guid.empty()) {
    if (auto o = s.cc().get("/v3/service_offerings/" + names.offering_guid)) {
      offering = std::move(*o);
    }
  }
  bool have_offering = offering.IsObject();
  s.ui.key_values({{"name", str(instance, "name")},
                   {"guid", str(instance, "guid")},
                   {"type", str(instance, "type")},
                   {"broker", names.broker},
                   {"offering", names.offering},
                   {"plan", names.plan},
                   {"tags", tags_of(instance)},
                   {"offering tags", have_offering ? tags_of(offering) : ""},
                   {"description", have_offering ? str(offering, "description") : ""},
                   {"documentation", have_offering ? str(offering, "documentation_url") : ""},
                   {"dashboard url", str(instance, "dashboard_url")}});
  s.ui.say("\nShowing status of last operation:");
  const json::Value* op = at(instance, {"last_operation"});
  if (op == nullptr || !op->IsObject()) {
    s.ui.say("   There is no last operation available for this service instance.");
    return;
  }
  s.ui.say(indent_lines(render_key_values({{"status", last_operation_text(instance)},
                                           {"message", str(*op, "description")},
                                           {"started", str(*op, "created_at")},
                                           {"updated", str(*op, "updated_at")}}),
                        "   "));
}

int run_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto found = lookup_instance_with_names(s, p.arg(0));
  if (p.has("guid")) {
    if (!found) return s.fail(found.error());
    s.ui.say(str(found->instance, "guid"));
    return 0;
  }
  if (p.has("json")) {
    if (!found) return s.fail(found.error());
    say_json(s, found->instance);
    return 0;
  }
  s.ui.say("Showing info of service " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  if (!found) return s.fail(found.error());
  const json::Value& instance = found->instance;
  if (str(instance, "type") == "user-provided") {
    show_user_provided(s, instance);
  } else {
    show_managed(s, instance, found->names);
  }
  s.ui.say("");
  show_bound_apps(s, str(instance, "guid"));
  return 0;
}

}  // namespace

void add_service_info_commands(std::vector<Command>& out) {
  out.push_back({{.name = "services",
                  .aliases = {"s"},
                  .summary = "List service instances in the target space",
                  .usage = "cupola services [--json]",
                  .flags = {kJsonFlag}},
                 run_services});
  out.push_back(
      {{.name = "service",
        .summary = "Show service instance info",
        .usage = "cupola service SERVICE_INSTANCE [--guid] [--json]",
        .required_args = {"SERVICE_INSTANCE"},
        .flags = {{"guid", 0, "",
                   "Retrieve and display the given service instance's guid. All other output "
                   "for the service is suppressed."},
                  kJsonFlag}},
       run_service});
}

}  // namespace cupola::cli
