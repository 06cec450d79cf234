#pragma once

// What the service commands share over the Cloud Controller: finding a service instance of
// the targeted space, naming its plan, offering and broker, and following the asynchronous
// operations (202 and a job) of managed instances, bindings and keys as cf v8 does.

#include <optional>
#include <string>
#include <vector>

#include "cli/src/commands/service_model.h"
#include "cli/src/session.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cli {

// A service instance of the targeted space by name, as its JSON; NotFound with cf's words
// ("Service instance 'db' not found") when there is none.
Result<json::Document> lookup_instance(Session& s, const std::string& name);

// A service instance with the names of its plan, offering and broker (empty for a
// user-provided one).
struct InstanceWithNames {
  json::Document instance;
  PlanNames names;
};
Result<InstanceWithNames> lookup_instance_with_names(Session& s, const std::string& name);

// The query that makes a list of service instances include its plans, offerings and brokers
// (the names cf v8's `services` and `service` print), starting with '&'.
inline constexpr const char* kPlanFields =
    "&fields%5Bservice_plan%5D=guid,name"
    "&fields%5Bservice_plan.service_offering%5D=guid,name"
    "&fields%5Bservice_plan.service_offering.service_broker%5D=guid,name";

// Every page of a list as {"resources": [...], "included": {...}}: Client::list drops
// "included", which the plan names come from.
Result<json::Document> list_with_included(Session& s, const std::string& path);

// The names of the plans `plan_guids` from `page`'s "included" and, for those it lacks (an
// API that does not answer `fields`), from GET /v3/service_plans/:guid, the offering's and
// the broker's. A name that cannot be read stays empty: listings still print.
PlanIndex resolve_plan_names(Session& s, const json::Value& page,
                             const std::vector<std::string>& plan_guids);

// The -c flag of COMMAND as parameters_json reads it; nullopt when not given. Prints cf's
// "Incorrect Usage: Invalid configuration provided for -c flag..." and the help, and sets
// `exit_status` to 1, when it is not a JSON object.
std::optional<std::string> parameters_flag(Session& s, const Parsed& p, const std::string& command,
                                           int& exit_status);

// How an operation the Cloud Controller accepted stands.
enum class Progress { Done, InProgress };

// Follows ANSWER of a create, update or delete: without a job (200, 201, 204) it is Done.
// With one and WAIT, prints "Waiting for the operation to complete..." and polls the job
// until it is COMPLETE (Done) or FAILED (the job's error). Without WAIT it is followed until
// the broker has the request, as cf does: COMPLETE is Done, FAILED its error, POLLING (the
// broker works on it) InProgress.
Result<Progress> follow_operation(Session& s, const cc::api::Answer& answer, bool wait);

// The flag every asynchronous service command takes.
inline const FlagSpec kWaitFlag{"wait", 'w', "", "Wait for the operation to complete"};
// -c of create-service, update-service, bind-service and create-service-key.
inline const FlagSpec kParametersFlag{
    "c", 'c', "PARAMETERS_AS_JSON",
    "Valid JSON object containing service-specific configuration parameters, provided either "
    "in-line or in a file. For a list of supported configuration parameters, see documentation "
    "for the particular service offering."};

}  // namespace cupola::cli
