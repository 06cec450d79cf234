#pragma once

#include <boost/asio/steady_timer.hpp>

#include "common/log/log.h"
#include "common/service/service.h"
#include "service_broker/src/broker.h"

namespace cupola::pg_broker {

// The broker's background operations as a Service: at start it resumes what a previous run
// left in progress; at stop it lets the operations under way finish (their statements are
// short) before run() returns. Added before the HTTP server, so that it stops after the
// server has drained.
class OperationRunner final : public Service {
 public:
  OperationRunner(boost::asio::any_io_executor ex, Broker& broker, log::Logger log);

  // Service
  std::string name() const override { return "operations"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  Broker& broker_;
  log::Logger log_;
  boost::asio::steady_timer stopped_;
  bool stopping_ = false;
};

}  // namespace cupola::pg_broker
