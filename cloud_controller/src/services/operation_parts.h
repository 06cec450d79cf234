#pragma once

// Internal to ServiceOperations (operations.cpp, operations_bindings.cpp): the broker it
// talks to for an instance, and the pieces of OSB requests and of the jobs users watch.

#include <optional>
#include <string>

#include "cloud_controller/src/services/operations.h"
#include "common/http/message.h"
#include "common/json/json.h"

namespace cupola::cc {

struct ServiceOperations::Target {
  services::BrokerEndpoint endpoint;
  std::string service_id;
  std::string plan_id;
  std::optional<int> max_polling_seconds;
  std::string organization_guid;
  std::string organization_name;
  std::string space_guid;
  std::string space_name;
};

namespace operation_parts {

using services::BrokerAction;

inline const char* verb(BrokerAction a) {
  switch (a) {
    case BrokerAction::provision:
      return "provision";
    case BrokerAction::update:
      return "update";
    case BrokerAction::deprovision:
      return "deprovision";
    case BrokerAction::bind:
    case BrokerAction::fetch_binding:
      return "bind";
    case BrokerAction::unbind:
      return "unbind";
  }
  return "";
}

inline const char* job_operation(BrokerAction a) {
  switch (a) {
    case BrokerAction::provision:
      return "service_instance.create";
    case BrokerAction::update:
      return "service_instance.update";
    case BrokerAction::deprovision:
      return "service_instance.delete";
    case BrokerAction::bind:
    case BrokerAction::fetch_binding:
      return "service_bindings.create";
    case BrokerAction::unbind:
      return "service_bindings.delete";
  }
  return "";
}

inline BrokerAction action_of(const std::string& type, bool binding) {
  if (type == "delete") return binding ? BrokerAction::unbind : BrokerAction::deprovision;
  if (type == "update") return BrokerAction::update;
  return binding ? BrokerAction::bind : BrokerAction::provision;
}

inline std::string ids_query(const std::string& service_id, const std::string& plan_id) {
  return "service_id=" + http::percent_encode(service_id) +
         "&plan_id=" + http::percent_encode(plan_id);
}

inline OperationEnd succeeded(std::string description = "") {
  return {"succeeded", std::move(description)};
}
inline OperationEnd failure(std::string description) { return {"failed", std::move(description)}; }

// The OSB context object Cloud Foundry sends.
inline void write_context(json::Writer& w, const std::string& instance_name,
                          const std::string& org_guid, const std::string& org_name,
                          const std::string& space_guid, const std::string& space_name) {
  w.key("context").start_object().field("platform", "cloudfoundry");
  w.field("organization_guid", org_guid).field("organization_name", org_name);
  w.field("space_guid", space_guid).field("space_name", space_name);
  w.field("instance_name", instance_name);
  w.key("organization_annotations").start_object().end_object();
  w.key("space_annotations").start_object().end_object();
  w.key("instance_annotations").start_object().end_object();
  w.end_object();
}

inline void write_parameters(json::Writer& w, const std::string& parameters_json) {
  if (!parameters_json.empty()) w.key("parameters").raw(parameters_json);
}

inline std::string job_errors(const char* action, const std::string& description) {
  json::Writer w;
  w.start_array().start_object().field("code", 10009).field("title", "CF-UnableToPerform");
  w.field("detail", std::string(action) + " could not be completed: " + description);
  w.end_object().end_array();
  return w.str();
}

}  // namespace operation_parts
}  // namespace cupola::cc
