#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cupola::pg_broker {

// Where a service instance is in its life. Deleted rows stay as tombstones so that the
// platform's last polls after a deprovision are answered.
enum class InstanceState {
  Provisioning,
  ProvisionFailed,
  Ready,
  Updating,
  Deprovisioning,
  DeprovisionFailed,
  Deleted,
};

// The attributes a provision request fixes; a repeated request matches when they are equal.
struct InstanceAttributes {
  std::string service_id;
  std::string plan_id;
  std::string organization_guid;
  std::string space_guid;
  std::string parameters = "{}";  // a JSON object, compact
};

struct Instance {
  std::string id;
  InstanceAttributes attributes;
  std::string context = "{}";  // the platform's context object, JSON
  InstanceState state = InstanceState::Provisioning;
  std::int64_t created_at = 0;  // unix nanoseconds
  std::int64_t updated_at = 0;
};

// Asynchronous work on an instance. The platform names it by its kind in last_operation's
// `operation` parameter; an instance has at most one in progress.
enum class OperationKind { Provision, Update, Deprovision };
enum class OperationState { InProgress, Succeeded, Failed };

struct Operation {
  std::int64_t id = 0;  // assigned by the store
  std::string instance_id;
  OperationKind kind = OperationKind::Provision;
  OperationState state = OperationState::InProgress;
  std::string description;
  // What the instance becomes when a provision or update succeeds.
  std::string plan_id;
  std::string parameters = "{}";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

enum class BindingState { Creating, Ready };

// The attributes a bind request fixes.
struct BindingAttributes {
  std::string service_id;
  std::string plan_id;
  std::string app_guid;
  std::string parameters = "{}";
};

struct Binding {
  std::string instance_id;
  std::string binding_id;
  BindingAttributes attributes;
  BindingState state = BindingState::Creating;
  // The login role on the target server and its password (the credentials handed out).
  std::string username;
  std::string password;
  std::int64_t created_at = 0;
};

std::string_view to_string(InstanceState s);
std::optional<InstanceState> parse_instance_state(std::string_view s);
// "provision", "update", "deprovision": also the operation names the platform polls with.
std::string_view to_string(OperationKind k);
std::optional<OperationKind> parse_operation_kind(std::string_view s);
// "in progress", "succeeded", "failed", as last_operation reports them.
std::string_view to_string(OperationState s);
std::optional<OperationState> parse_operation_state(std::string_view s);
std::string_view to_string(BindingState s);
std::optional<BindingState> parse_binding_state(std::string_view s);

// Whether two JSON texts hold equal values (object member order does not matter).
bool same_json(std::string_view a, std::string_view b);

bool operator==(const InstanceAttributes& a, const InstanceAttributes& b);
bool operator==(const BindingAttributes& a, const BindingAttributes& b);

}  // namespace cupola::pg_broker
