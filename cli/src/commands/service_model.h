#pragma once

// The pure parts of the service commands: reading -c and -t as the cf CLI does, the request
// bodies for service instances and credential bindings, the cf CLI's words for an operation's
// state and for plans it cannot find, and the `cupola services` table built from the Cloud
// Controller's documents. No I/O except reading -c's file.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/src/ui.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cli {

// -c's value as cf takes it: the contents of the file at that path when one exists, else the
// value itself; either must be a JSON object. The object as compact JSON, or an
// InvalidArgument error with cf's words ("Invalid configuration provided for -c flag. ...").
Result<std::string> parameters_json(const std::string& value);

// -t's value as cf takes it: comma-separated tags, each trimmed of white space, empty ones
// dropped ("db, , pg " -> {"db", "pg"}).
std::vector<std::string> split_tags(std::string_view value);

// The last operation of a service instance or credential binding as cf prints it:
// "create succeeded", "delete in progress"; "" when the resource has no last_operation or its
// type or state is missing.
std::string last_operation_text(const json::Value& resource);

// A plan's names as `cupola services` and `cupola service` print them.
struct PlanNames {
  std::string plan;
  std::string offering;
  std::string broker;
  std::string offering_guid;
};
// Plans by guid.
using PlanIndex = std::map<std::string, PlanNames>;

// The plans a page of service instances names in its "included" member (service_plans,
// service_offerings, service_brokers, linked by their relationships). A plan whose offering
// is not linked is left out, so that the caller asks for it; empty without "included".
PlanIndex plan_index_from_included(const json::Value& page);

// Service instance guid -> the names of the apps bound to it ("web, worker"), from a list of
// app credential bindings and the names of the space's apps by guid. Bindings of apps that
// are not in `app_names` (other spaces) are left out.
std::map<std::string, std::string> bound_app_names(
    const json::Value& bindings, const std::map<std::string, std::string>& app_names);

// `cupola services` as cf v8 lays it out: a header (name, offering, plan, bound apps, last
// operation, broker, upgrade available), then one row per instance of the array `instances`
// in its order. A user-provided instance's offering is "user-provided"; a managed one's names
// come from `plans` (empty cells when missing); upgrade available is "yes" or "no" when the
// instance says.
Table services_table(const json::Value& instances, const PlanIndex& plans,
                     const std::map<std::string, std::string>& bound_apps);

// POST /v3/service_instances for a managed instance. `parameters` is a JSON object's text.
std::string create_managed_instance_body(const std::string& name, const std::string& space_guid,
                                         const std::string& plan_guid,
                                         const std::optional<std::string>& parameters,
                                         const std::optional<std::vector<std::string>>& tags);

// PATCH /v3/service_instances/:guid for a managed instance: only what is set ("{}" for
// nothing). An empty `plan_guid` keeps the plan.
std::string update_managed_instance_body(const std::string& plan_guid,
                                         const std::optional<std::string>& parameters,
                                         const std::optional<std::vector<std::string>>& tags);

// POST /v3/service_credential_bindings: an app binding when `app_guid` is set (type "app"),
// a service key otherwise (type "key"). Empty `name` and unset `parameters` are left out.
std::string credential_binding_body(const std::string& instance_guid, const std::string& app_guid,
                                    const std::string& name,
                                    const std::optional<std::string>& parameters);

// The cf CLI's errors when create-service finds no plan, or the plan at more than one broker.
std::string offering_not_found_text(const std::string& offering, const std::string& broker);
std::string plan_not_found_text(const std::string& plan, const std::string& offering,
                                const std::string& broker);
std::string broker_required_text(const std::string& offering);

// A job's state as the commands act on it.
enum class JobState { Processing, Complete, Failed };
JobState job_state(const json::Value& job);
// The first error's detail of a FAILED job, or "The job failed".
std::string job_error(const json::Value& job);

// `v` as JSON with two-space indentation, as cf prints service keys.
std::string pretty_json(const json::Value& v);

// Every line of `text` (without a trailing newline) prefixed with `prefix`.
std::string indent_lines(std::string_view text, std::string_view prefix);

}  // namespace cupola::cli
