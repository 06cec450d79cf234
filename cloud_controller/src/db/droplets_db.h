#pragma once

// Packages, builds and droplets in ccdb, and what the bridge to Diego reads to run processes.
// Lists take the viewer: records of apps in the spaces they see.

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/apps_db.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

struct Package {
  std::string guid;
  std::string app_guid;
  std::string type = "bits";
  std::string state = "AWAITING_UPLOAD";  // PROCESSING_UPLOAD, READY, FAILED
  std::optional<std::string> sha1;
  std::optional<std::string> sha256;
  std::optional<std::string> error;
  std::string created_at;
  std::string updated_at;
};

struct Droplet {
  std::string guid;
  std::string app_guid;
  std::optional<std::string> package_guid;
  std::string state = "STAGING";  // STAGED, FAILED
  std::optional<std::string> error;
  std::string process_types_json = "{}";  // {"web": "start command", ...}
  std::string execution_metadata;
  std::string buildpacks_json = "[]";  // [{"name", "buildpack_name", "detect_output", "version"}]
  std::string stack = "cupolafs";
  std::optional<std::string> sha1;
  std::optional<std::string> sha256;
  std::string created_at;
  std::string updated_at;
};

struct Build {
  std::string guid;
  std::string app_guid;
  std::string package_guid;
  std::optional<std::string> droplet_guid;  // the droplet staging writes (set from the start)
  std::string state = "STAGING";            // STAGED, FAILED
  std::optional<std::string> error;
  std::string lifecycle_json;
  std::int64_t staging_memory_in_mb = 1024;
  std::int64_t staging_disk_in_mb = 4096;
  std::string created_by_guid;
  std::string created_by_name;
  std::string created_at;
  std::string updated_at;
};

// A process as Diego should run it: the process, its app, the app's current droplet and
// where the app lives.
struct ProcessRun {
  Process process;
  App app;
  std::optional<Droplet> droplet;
  std::string space_name;
  std::string organization_guid;
  std::string organization_name;
  std::vector<std::string> uris;          // the routes to the process, "host.domain/path"
  std::string vcap_services_json = "{}";  // the app's bindings
};

// Runs on the pool's executor. Errors: the database's; NotFound for updates of missing rows.
class DropletsDb {
 public:
  explicit DropletsDb(pg::Pool& pool) : pool_(pool) {}

  // Filters guids, app_guids, states, types, space_guids.
  boost::asio::awaitable<Result<Page<Package>>> list_packages(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Package>>> package(Viewer viewer, std::string guid);
  boost::asio::awaitable<Result<Package>> create_package(Package p);
  // State, checksums and error as given.
  boost::asio::awaitable<Result<Package>> update_package(Package p);

  // Filters guids, app_guids, states, package_guids, space_guids.
  boost::asio::awaitable<Result<Page<Droplet>>> list_droplets(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Droplet>>> droplet(Viewer viewer, std::string guid);
  // State, error, process types, metadata, buildpacks and checksums as given.
  boost::asio::awaitable<Result<Droplet>> update_droplet(Droplet d);

  // Filters guids, app_guids, states, package_guids, space_guids.
  boost::asio::awaitable<Result<Page<Build>>> list_builds(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Build>>> build(Viewer viewer, std::string guid);
  // The build and its STAGING droplet, in one transaction.
  boost::asio::awaitable<Result<Build>> create_build(Build b);
  // State and error as given.
  boost::asio::awaitable<Result<Build>> update_build(Build b);

  // Every process of the given apps, whatever their state; with no apps given, the processes
  // of every started app that has a current droplet.
  boost::asio::awaitable<Result<std::vector<ProcessRun>>> runs(
      std::vector<std::string> app_guids = {});

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
