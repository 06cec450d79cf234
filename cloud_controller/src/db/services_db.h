#pragma once

// Service instances and their credential bindings in ccdb. Credentials are stored sealed
// (the caller seals and opens them); lists take the viewer: what the spaces they see hold.

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
};

struct ServiceBinding {
  std::string guid;
  std::optional<std::string> name;
  std::string type = "app";
  std::string app_guid;
  std::string service_instance_guid;
  std::string credentials_sealed;  // what the app sees, sealed
  std::optional<std::string> syslog_drain_url;
  std::string created_at;
  std::string updated_at;
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

  // Filters guids, names, space_guids, organization_guids, type.
  boost::asio::awaitable<Result<Page<ServiceInstance>>> list_instances(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServiceInstance>>> instance(Viewer viewer,
                                                                          std::string guid);
  boost::asio::awaitable<Result<ServiceInstance>> create_instance(ServiceInstance i);
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

  // Every binding of the given apps, with its instance, oldest first.
  boost::asio::awaitable<Result<std::map<std::string, std::vector<BoundService>>>> bound_services(
      std::vector<std::string> app_guids);

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
