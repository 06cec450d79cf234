#pragma once

// The bridge to Diego: the stager (a build becomes a BBS task), nsync (processes become
// desired LRPs, on every change and in a periodic bulk pass that makes the BBS match the CC)
// and tps (a process's instances from the BBS's actual LRPs).

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/api/client/bbs_client.h"
#include "cloud_controller/src/bridge/runtime.h"
#include "cloud_controller/src/bridge/signer.h"
#include "cloud_controller/src/db/buildpacks_db.h"
#include "cloud_controller/src/db/routes_db.h"
#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/db/settings_db.h"
#include "cloud_controller/src/storage/secret_box.h"
#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::cc {

struct DiegoOptions {
  std::string cf_api;  // the public API URL apps see in VCAP_APPLICATION
  std::string stack = "cupolafs";
  std::chrono::milliseconds staging_timeout{15 * 60 * 1000};
};

class DiegoRuntime final : public Runtime {
 public:
  DiegoRuntime(bbs::BbsClient& bbs, DropletsDb& db, RoutesDb& routes, SettingsDb& settings,
               BuildpacksDb& buildpacks, ServicesDb& services, const SecretBox& secrets,
               const UrlSigner& signer, const Clock& clock, DiegoOptions options, log::Logger log);

  boost::asio::awaitable<Status> stage(Build build) override;
  boost::asio::awaitable<Status> sync_apps(std::vector<std::string> app_guids) override;
  boost::asio::awaitable<Result<std::vector<InstanceReport>>> instances(Process process) override;

  // The bulk pass: every started process runs as its current version with its instance
  // count, and nothing else runs in the apps domain; then the domain is marked fresh for
  // `freshness`. Counts of what it changed go to the log.
  boost::asio::awaitable<Status> sync_all(std::chrono::seconds freshness);

 private:
  // Makes the BBS's LRPs for `runs` match them; `existing` are the BBS's LRPs that belong to
  // these runs' processes (or, for the bulk pass, the whole domain).
  boost::asio::awaitable<Status> converge(std::vector<ProcessRun> runs,
                                          std::vector<bbs::DesiredLrp> existing, bool whole);

  bbs::BbsClient& bbs_;
  // The URLs each run's process is routed by (its desired LRP's hostnames), and its app's
  // VCAP_SERVICES.
  boost::asio::awaitable<Status> add_urls(std::vector<ProcessRun>& runs);

  DropletsDb& db_;
  // The variables of an environment variable group ("{}" when it cannot be read).
  boost::asio::awaitable<std::string> group(std::string name);

  RoutesDb& routes_;
  SettingsDb& settings_;
  BuildpacksDb& buildpacks_;
  ServicesDb& services_;
  const SecretBox& secrets_;
  const UrlSigner& signer_;
  const Clock& clock_;
  DiegoOptions options_;
  log::Logger log_;
};

// Runs DiegoRuntime::sync_all every `interval` (the first pass at once), as nsync's bulker.
class BulkSync final : public Service {
 public:
  BulkSync(boost::asio::any_io_executor ex, DiegoRuntime& runtime,
           std::chrono::milliseconds interval, log::Logger log);
  std::string name() const override { return "nsync-bulker"; }
  boost::asio::awaitable<void> start() override { co_return; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  DiegoRuntime& runtime_;
  std::chrono::milliseconds interval_;
  log::Logger log_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace cupola::cc
