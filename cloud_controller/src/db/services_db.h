#pragma once

// Service instances and their credential bindings (of apps, and service keys) in ccdb.
// Credentials are stored sealed (the caller seals and opens them); lists take the viewer: what
// the spaces they see hold. A managed instance or binding records its last operation: what a
// broker was asked, whether it is still in progress (and the broker's operation token once
// it accepted the work), so that polling resumes after a restart.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

// Migration 12. operation_plan_guid: the plan an update in progress moves to.
// broker_operation: NULL until the broker accepted the operation (202), then its token ('' for
// none).
inline constexpr const char* kManagedServicesSchema = R"sql(
ALTER TABLE service_instances
  ADD COLUMN plan_guid text REFERENCES service_plans (guid),
  ADD COLUMN dashboard_url text,
  ADD COLUMN operation_type text NOT NULL DEFAULT 'create',
  ADD COLUMN operation_state text NOT NULL DEFAULT 'succeeded',
  ADD COLUMN operation_description text NOT NULL DEFAULT '',
  ADD COLUMN operation_plan_guid text,
  ADD COLUMN broker_operation text,
  ADD COLUMN job_guid text,
  ADD COLUMN operation_created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN operation_updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX service_instances_plan_idx ON service_instances (plan_guid);
ALTER TABLE service_bindings
  ALTER COLUMN app_guid DROP NOT NULL,
  ADD COLUMN operation_type text NOT NULL DEFAULT 'create',
  ADD COLUMN operation_state text NOT NULL DEFAULT 'succeeded',
  ADD COLUMN operation_description text NOT NULL DEFAULT '',
  ADD COLUMN broker_operation text,
  ADD COLUMN job_guid text,
  ADD COLUMN operation_created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN operation_updated_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX service_keys_name_idx ON service_bindings (service_instance_guid, name)
  WHERE type = 'key';
)sql";

// Cloud Foundry's last_operation: type create, update or delete; state "initial",
// "in progress", "succeeded" or "failed".
struct LastOperation {
  std::string type = "create";
  std::string state = "succeeded";
  std::string description;
  std::string created_at;  // read only
  std::string updated_at;  // read only
};

struct ServiceInstance {
  std::string guid;
  std::string name;
  std::string type = "user-provided";  // or "managed"
  std::string space_guid;
  std::string credentials_sealed;  // user-provided: the sealed JSON object
  std::optional<std::string> syslog_drain_url;
  std::optional<std::string> route_service_url;
  std::string tags_json = "[]";
  std::string created_at;
  std::string updated_at;
  // Managed instances.
  std::optional<std::string> plan_guid;
  std::optional<std::string> dashboard_url;
  LastOperation operation;
  std::optional<std::string> operation_plan_guid;
  std::optional<std::string> broker_operation;
  std::optional<std::string> job_guid;
  std::string plan_name, offering_name;  // read only: "" for user-provided instances
};

struct ServiceBinding {
  std::string guid;
  std::optional<std::string> name;
  std::string type = "app";  // or "key"
  std::string app_guid;      // "" for a service key
  std::string service_instance_guid;
  std::string credentials_sealed;  // what the app sees, sealed
  std::optional<std::string> syslog_drain_url;
  std::string created_at;
  std::string updated_at;
  LastOperation operation;
  std::optional<std::string> broker_operation;
  std::optional<std::string> job_guid;
};

// What an operation on an instance or binding has come to.
struct OperationEnd {
  std::string state;  // "succeeded" or "failed"
  std::string description;
};

// A binding with its instance, as VCAP_SERVICES lists it.
struct BoundService {
  ServiceBinding binding;
  ServiceInstance instance;
};

// Runs on the pool's executor. Errors: the database's; Conflict for a taken name or a second
// binding of the same app and instance; NotFound for changes to missing rows.
class ServicesDb {
 public:
  explicit ServicesDb(pg::Pool& pool) : pool_(pool) {}

  // Filters guids, names, space_guids, organization_guids, type, service_plan_guids,
  // service_plan_names.
  boost::asio::awaitable<Result<Page<ServiceInstance>>> list_instances(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServiceInstance>>> instance(Viewer viewer,
                                                                          std::string guid);
  // Name, type, space, credentials, drain, route service, tags, plan, the operation's type
  // and state, and job as given.
  boost::asio::awaitable<Result<ServiceInstance>> create_instance(ServiceInstance i);
  // An instance whoever asks; NotFound when it is gone.
  boost::asio::awaitable<Result<ServiceInstance>> stored_instance(std::string guid);
  // Name, credentials, drain, route service and tags as given.
  boost::asio::awaitable<Result<ServiceInstance>> update_instance(ServiceInstance i);
  // Its bindings go with it; the apps they were for are returned.
  boost::asio::awaitable<Result<std::vector<std::string>>> delete_instance(std::string guid);

  // Filters guids, names, app_guids, service_instance_guids, type.
  boost::asio::awaitable<Result<Page<ServiceBinding>>> list_bindings(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServiceBinding>>> binding(Viewer viewer,
                                                                        std::string guid);
  boost::asio::awaitable<Result<ServiceBinding>> create_binding(ServiceBinding b);
  boost::asio::awaitable<Status> delete_binding(std::string guid);

  // Every binding of the given apps that a broker has made (or is undoing), with its
  // instance, oldest first.
  boost::asio::awaitable<Result<std::map<std::string, std::vector<BoundService>>>> bound_services(
      std::vector<std::string> app_guids);

  // Managed operations. begin_* starts `type` in progress for `job_guid`: Conflict when
  // another operation on it is in progress. accepted_* records the broker's 202 and token.
  boost::asio::awaitable<Status> begin_instance_operation(std::string guid, std::string type,
                                                          std::string job_guid,
                                                          std::optional<std::string> new_plan);
  boost::asio::awaitable<Status> accepted_instance_operation(std::string guid,
                                                             std::string broker_operation);
  // A finished create or update: the state, and on success the plan moved to and the
  // dashboard (when the broker gave one).
  boost::asio::awaitable<Status> end_instance_operation(std::string guid, OperationEnd end,
                                                        std::optional<std::string> dashboard_url);
  boost::asio::awaitable<Status> begin_binding_operation(std::string guid, std::string type,
                                                         std::string job_guid);
  boost::asio::awaitable<Status> accepted_binding_operation(std::string guid,
                                                            std::string broker_operation);
  // On success with credentials, they replace the binding's.
  boost::asio::awaitable<Status> end_binding_operation(
      std::string guid, OperationEnd end, std::optional<std::string> credentials_sealed,
      std::optional<std::string> syslog_drain_url);
  // What was in progress (for picking up after a restart).
  boost::asio::awaitable<Result<std::vector<ServiceInstance>>> instances_in_progress();
  boost::asio::awaitable<Result<std::vector<ServiceBinding>>> bindings_in_progress();

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
