#pragma once

// Apps and their processes in ccdb. Lists take the viewer: apps in the spaces they see.

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

struct App {
  std::string guid;
  std::string name;
  std::string space_guid;
  std::string state = "STOPPED";
  std::string lifecycle_json;  // {"type":"buildpack","data":{"buildpacks":[...],"stack":"..."}}
  std::string environment_json = "{}";  // the app's own variables: {"NAME": "value", ...}
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> droplet_guid;  // the current droplet
};

struct Process {
  std::string guid;
  std::string app_guid;
  std::string type = "web";
  std::optional<std::string> command;
  std::int64_t instances = 1;
  std::int64_t memory_in_mb = 1024;
  std::int64_t disk_in_mb = 1024;
  std::string health_check_type = "port";
  std::optional<std::int64_t> health_check_timeout;
  std::optional<std::string> health_check_endpoint;
  std::string created_at;
  std::string updated_at;
  // Changes when the process must run as new instances (a start, a new droplet, new memory):
  // its desired LRP is "<guid>-<version>".
  std::string version;
  // Bytes per second each instance may log; -1: unlimited.
  std::int64_t log_rate_limit = -1;
};

// Runs on the pool's executor. Errors: the database's; Conflict for a name taken in the space.
class AppsDb {
 public:
  explicit AppsDb(pg::Pool& pool) : pool_(pool) {}

  // Filters names, guids, space_guids, organization_guids.
  boost::asio::awaitable<Result<Page<App>>> list_apps(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<App>>> app(Viewer viewer, std::string guid);
  // The app and its web process, in one transaction.
  boost::asio::awaitable<Result<App>> create_app(App app, std::string web_process_guid);
  // Name, lifecycle and environment as given.
  boost::asio::awaitable<Result<App>> update_app(App app);
  boost::asio::awaitable<Status> delete_app(std::string guid);

  // Filters guids, types, app_guids, space_guids.
  boost::asio::awaitable<Result<Page<Process>>> list_processes(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Process>>> process(Viewer viewer, std::string guid);
  // Everything but the guid, app and type, as given.
  boost::asio::awaitable<Result<Process>> update_process(Process p);
  // A new process of an app with the defaults (a started app's gets a version at once).
  // Conflict when the app has one of that type.
  boost::asio::awaitable<Result<Process>> create_process(Process p);

  // Sets the app's state; a start gives each of its processes a new version.
  boost::asio::awaitable<Result<App>> set_state(std::string guid, std::string state);
  // Sets (or clears) the current droplet.
  boost::asio::awaitable<Result<App>> set_droplet(std::string guid,
                                                  std::optional<std::string> droplet_guid);

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
