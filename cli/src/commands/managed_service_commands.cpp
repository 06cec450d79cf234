// Managed service instances, which a service broker provisions: create-service and
// update-service. The Cloud Controller answers both with a job that lasts until the broker is
// done; without --wait the commands say the operation is in progress, as cf v8 does.
#include <string>
#include <vector>

#include "cli/src/commands/lookup.h"
#include "cli/src/commands/service_flow.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::url_encode;

std::optional<std::vector<std::string>> tags_flag(const Parsed& p) {
  if (!p.has("t")) return std::nullopt;
  return split_tags(p.value("t"));
}

// The guid of PLAN of OFFERING (at BROKER, when given) among the plans the targeted space
// sees in the marketplace, or cf's error for why there is not exactly one.
Result<std::string> find_plan(Session& s, const std::string& offering, const std::string& plan,
                              const std::string& broker) {
  std::string filters = "service_offering_names=" + url_encode(offering);
  if (!broker.empty()) filters += "&service_broker_names=" + url_encode(broker);
  auto plans = s.cc().list("/v3/service_plans?names=" + url_encode(plan) + "&" + filters +
                           "&space_guids=" + s.config.space_guid);
  if (!plans) return std::move(plans).error();
  if (plans->Size() == 1) return str((*plans)[0], "guid");
  if (plans->Size() > 1) {
    return Error{make_error_code(Errc::InvalidArgument), broker_required_text(offering)};
  }
  // No plan: say whether the offering itself is missing.
  std::string offering_filters = "names=" + url_encode(offering);
  if (!broker.empty()) offering_filters += "&service_broker_names=" + url_encode(broker);
  auto offerings = s.cc().list("/v3/service_offerings?" + offering_filters);
  if (offerings && offerings->Empty()) {
    return Error{make_error_code(Errc::NotFound), offering_not_found_text(offering, broker)};
  }
  return Error{make_error_code(Errc::NotFound), plan_not_found_text(plan, offering, broker)};
}

int run_create_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  int usage = 0;
  auto parameters = parameters_flag(s, p, "create-service", usage);
  if (usage != 0) return usage;
  std::string name = p.arg(2);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(name.begin());
  s.ui.say("Creating service instance " + s.ui.cyan(name) + " " + in_target(s));
  auto plan = find_plan(s, p.arg(0), p.arg(1), p.value("b"));
  if (!plan) return s.fail(plan.error());
  auto made = s.cc().call(
      "POST", "/v3/service_instances",
      create_managed_instance_body(name, s.config.space_guid, *plan, parameters, tags_flag(p)));
  if (!made) {
    if (cc::api::status_of(made.error()) == 422 &&
        made.error().message.find("name is taken") != std::string::npos) {
      s.ui.ok();
      s.ui.say("Service instance " + name + " already exists");
      return 0;
    }
    return s.fail(made.error());
  }
  s.ui.say("");
  auto progress = follow_operation(s, *made, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  if (*progress == Progress::Done) {
    s.ui.say("Service instance " + name + " created.");
  } else {
    s.ui.say("Create in progress. Use 'cupola services' or 'cupola service " + name +
             "' to check operation status.");
  }
  s.ui.ok();
  return 0;
}

// The guid of PLAN among the plans of the instance's offering, or cf's error.
Result<std::string> find_new_plan(Session& s, const std::string& plan, const PlanNames& current) {
  if (!current.offering_guid.empty()) {
    auto plans = s.cc().list("/v3/service_plans?names=" + url_encode(plan) +
                             "&service_offering_guids=" + current.offering_guid);
    if (!plans) return std::move(plans).error();
    if (!plans->Empty()) return str((*plans)[0], "guid");
  }
  return Error{make_error_code(Errc::NotFound),
               plan_not_found_text(plan, current.offering, current.broker)};
}

int run_update_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  int usage = 0;
  auto parameters = parameters_flag(s, p, "update-service", usage);
  if (usage != 0) return usage;
  s.ui.say("Updating service instance " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  if (!p.has("p") && !p.has("c") && !p.has("t")) {
    s.ui.say("No flags specified. No changes were made.");
    s.ui.ok();
    return 0;
  }
  auto found = lookup_instance_with_names(s, p.arg(0));
  if (!found) return s.fail(found.error());
  const json::Value& instance = found->instance;
  if (str(instance, "type") != "managed") {
    return s.fail("The service instance '" + p.arg(0) + "' is not managed");
  }
  std::string plan_guid;
  if (p.has("p")) {
    auto plan = find_new_plan(s, p.value("p"), found->names);
    if (!plan) return s.fail(plan.error());
    const json::Value* current = at(instance, {"relationships", "service_plan", "data", "guid"});
    bool same = current != nullptr && current->IsString() && *plan == current->GetString();
    if (!same) plan_guid = *plan;
  }
  auto tags = tags_flag(p);
  if (plan_guid.empty() && !parameters && !tags) {
    s.ui.say("No changes were made.");
    s.ui.ok();
    return 0;
  }
  auto updated = s.cc().call("PATCH", "/v3/service_instances/" + str(instance, "guid"),
                             update_managed_instance_body(plan_guid, parameters, tags));
  if (!updated) return s.fail(updated.error());
  auto progress = follow_operation(s, *updated, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  if (*progress == Progress::Done) {
    s.ui.say("Update of service instance " + p.arg(0) + " complete.");
  } else {
    s.ui.say("Update in progress. Use 'cupola services' or 'cupola service " + p.arg(0) +
             "' to check operation status.");
  }
  s.ui.ok();
  return 0;
}

}  // namespace

void add_managed_service_commands(std::vector<Command>& out) {
  const FlagSpec tags{"t", 't', "TAGS", "User provided tags"};
  out.push_back(
      {{.name = "create-service",
        .aliases = {"cs"},
        .summary = "Create a service instance",
        .usage = "cupola create-service SERVICE_OFFERING PLAN SERVICE_INSTANCE [-b SERVICE_BROKER] "
                 "[-c PARAMETERS_AS_JSON] [-t TAGS] [--wait]",
        .required_args = {"SERVICE_OFFERING", "SERVICE_PLAN", "SERVICE_INSTANCE"},
        .flags = {{"b", 'b', "SERVICE_BROKER",
                   "Create a service instance from a particular broker. Required when service "
                   "offering name is ambiguous"},
                  kParametersFlag,
                  tags,
                  kWaitFlag},
        .examples = "   cupola create-service db-service silver mydb -c '{\"ram_gb\":4}'\n"
                    "   cupola create-service db-service silver mydb -c "
                    "~/workspace/tmp/instance_config.json\n"
                    "   cupola create-service db-service silver mydb -t \"list, of, tags\"\n"},
       run_create_service});
  out.push_back(
      {{.name = "update-service",
        .summary = "Update a service instance",
        .usage = "cupola update-service SERVICE_INSTANCE [-p NEW_PLAN] [-c PARAMETERS_AS_JSON] "
                 "[-t TAGS] [--wait]",
        .required_args = {"SERVICE_INSTANCE"},
        .flags = {{"p", 'p', "NEW_PLAN", "Change service plan for a service instance"},
                  kParametersFlag,
                  tags,
                  kWaitFlag},
        .examples = "   cupola update-service mydb -p gold\n"
                    "   cupola update-service mydb -c '{\"ram_gb\":4}'\n"
                    "   cupola update-service mydb -t \"list, of, tags\"\n"},
       run_update_service});
}

}  // namespace cupola::cli
