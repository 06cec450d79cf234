#pragma once

// What the Cloud Controller asks Diego to run, built from its records without I/O: the
// staging task of a build, the desired LRP of a process, the environment apps see
// (VCAP_APPLICATION), and the reading of a finished staging task.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/task.h"
#include "cloud_controller/src/db/droplets_db.h"
#include "common/core/result.h"

namespace cupola::cc {

inline constexpr const char* kAppsDomain = "cf-apps";
inline constexpr const char* kStagingDomain = "cf-app-staging";
inline constexpr const char* kLifecycleDir = "/tmp/lifecycle";

// The desired LRP of a process version: "<process guid>-<version>".
std::string lrp_process_guid(const Process& p);
// The process guid inside an LRP's (everything before the last 36 characters and the dash);
// "" when it is not one of ours.
std::string process_guid_of_lrp(const std::string& lrp_process_guid);

// Where an app lives, for its environment.
struct AppPlace {
  std::string space_name;
  std::string organization_guid;
  std::string organization_name;
};

// VCAP_APPLICATION as Cloud Foundry builds it for a process (the launcher adds the
// instance's own fields: instance_id, instance_index, host, port).
std::string vcap_application(const App& app, const Process& process, const AppPlace& place,
                             const std::vector<std::string>& uris, const std::string& cf_api);

// The variables an app's containers get, later ones winning: the environment variable group
// (running or staging, a JSON object), the app's own, then VCAP_APPLICATION, VCAP_SERVICES and
// MEMORY_LIMIT.
std::vector<bbs::EnvironmentVariable> app_environment(const App& app, const Process& process,
                                                      const AppPlace& place,
                                                      const std::vector<std::string>& uris,
                                                      const std::string& cf_api,
                                                      const std::string& group_json = "{}",
                                                      const std::string& vcap_services = "{}");

// The routes member of a process's desired LRP: {"cf-router": [{"hostnames", "port"}]}, with
// its uris for the web process and none for others.
std::string lrp_routes(const ProcessRun& run);

struct LrpInputs {
  std::string droplet_url;  // signed download link of the droplet
  std::string cf_api;
  std::vector<std::string> uris;  // the process's routes, as hostnames[/path]
  std::string stack = "cupolafs";
  std::string running_group_json = "{}";  // the running environment variable group
};

// The desired LRP of a started process with a staged droplet: download the droplet into
// /home/vcap, run the launcher with the process's command (or the droplet's for its type),
// check health as the process says (port, http or process), start within its timeout.
bbs::DesiredLrp desired_lrp(const ProcessRun& run, const LrpInputs& in);

// An admin buildpack as a staging task fetches it.
struct StagingBuildpack {
  std::string name;
  std::string url;  // signed download link of its .tgz
  std::string sha256;
};

struct StagingInputs {
  Build build;
  App app;
  AppPlace place;
  std::string package_url;         // signed download link of the package
  std::string droplet_upload_url;  // signed upload link of the droplet
  std::string callback_url;        // signed link the BBS reports the finished task to
  std::string cache_download_url;  // signed links of the app's build cache ("": none kept)
  std::string cache_upload_url;
  std::string cf_api;
  std::string staging_group_json = "{}";  // the staging environment variable group
  std::string vcap_services_json = "{}";  // the app's bindings
  // The buildpacks to offer, in order: each downloaded to /tmp/buildpacks/<name>.
  std::vector<StagingBuildpack> buildpacks;
  bool skip_detect = false;  // the app named its buildpacks: no detection
  std::string stack = "cupolafs";
  std::int64_t timeout_ms = 15 * 60 * 1000;
};

// The staging task: download the package to /tmp/app and each buildpack to
// /tmp/buildpacks/<name>, run the builder (-buildpackOrder names them in order; -skipDetect
// when the app chose them), upload /tmp/droplet.
// Its result file is the builder's /tmp/result.json; its logs are the app's STG lines.
bbs::TaskDefinition staging_task(const StagingInputs& in);

// What a finished staging task means for its build and droplet.
struct StagingOutcome {
  bool failed = false;
  std::string error;  // "NoAppDetectedError - ...", for the build and droplet, when failed
  std::string process_types_json = "{}";
  std::string execution_metadata;
  std::string buildpacks_json = "[]";
};

// Reads the BBS's completion callback body ({task_guid, failed, failure_reason, result}).
// InvalidArgument when it is not such a body; a result that is not the builder's JSON makes
// a failed outcome.
Result<StagingOutcome> staging_outcome(std::string_view callback_body);

}  // namespace cupola::cc
