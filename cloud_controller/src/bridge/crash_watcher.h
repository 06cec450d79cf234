#pragma once

// tps's crash reporting: follows the BBS's event stream and records an
// audit.app.process.crash event, by the app, for each instance of an app that crashed.

#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbs/api/client/bbs_client.h"
#include "cloud_controller/src/db/apps_db.h"
#include "cloud_controller/src/db/events_db.h"
#include "common/core/guid.h"
#include "common/http/client/cancel_token.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::cc {

class CrashWatcher final : public Service {
 public:
  // `app_log` writes a line to an app's logs (tagged API); may be empty.
  CrashWatcher(boost::asio::any_io_executor ex, bbs::BbsClient& bbs, AppsDb& apps, EventsDb& events,
               GuidGenerator& guids, std::function<void(const std::string&, std::string)> app_log,
               log::Logger log);
  std::string name() const override { return "crash-watcher"; }
  boost::asio::awaitable<void> start() override { co_return; }
  // Subscribes, and subscribes again (after a second) whenever the stream ends or fails.
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  boost::asio::awaitable<void> record(std::string data);

  boost::asio::any_io_executor ex_;
  bbs::BbsClient& bbs_;
  AppsDb& apps_;
  EventsDb& events_;
  GuidGenerator& guids_;
  std::function<void(const std::string&, std::string)> app_log_;
  log::Logger log_;
  boost::asio::steady_timer timer_;
  http::CancelToken cancel_;
  bool stopped_ = false;
};

}  // namespace cupola::cc
