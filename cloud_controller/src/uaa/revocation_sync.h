#pragma once

#include <chrono>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cloud_controller/src/uaa/revocation_store.h"
#include "cloud_controller/src/uaa/revoked_tokens.h"
#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola::cc::uaa {

// Loads revocations made by any Cloud Controller into this one's RevokedTokens: at start
// (so a restarted CC refuses revoked tokens from its first request; a failure there fails
// the start) and then every `interval`, when it also drops expired entries from memory
// and from the store. Runs on `executor`, the store's; every reference must outlive it.
class RevocationSync final : public Service {
 public:
  RevocationSync(const boost::asio::any_io_executor& executor, RevocationStore& store,
                 RevokedTokens& revoked, const Clock& clock, std::chrono::milliseconds interval,
                 log::Logger log);

  // One round: merge the active entries, prune expired ones.
  boost::asio::awaitable<Status> sync_once();

  // Service
  std::string name() const override { return "uaa-revocation-sync"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  RevocationStore& store_;
  RevokedTokens& revoked_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  log::Logger log_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

}  // namespace cupola::cc::uaa
