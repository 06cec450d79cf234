#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/log/log.h"

namespace cupola {

struct RunState;

// A long-running part of a process (an HTTP server, a NATS subscriber, a converger loop).
// All three calls happen on the group's io_context.
class Service {
 public:
  virtual ~Service() = default;
  virtual std::string name() const = 0;
  // Gets ready (binds, connects); the process reports `<source>.started` once every
  // service's start has returned. An exception fails the start of the whole process.
  virtual boost::asio::awaitable<void> start() { co_return; }
  // Does the work; returns after stop() was called and the work has drained.
  virtual boost::asio::awaitable<void> run() = 0;
  // Asks run() to finish. Idempotent; must not block.
  virtual void stop() = 0;
};

// Starts services in order, runs them together, and on SIGTERM/SIGINT (or when any
// service's run ends, or stop() is called) stops them in reverse order; a service still
// starting is stopped too. A second signal ends the process at once (exit code 1). Logs
// `<source>.started` and `<source>.exited` (the contract test runners wait for).
class ServiceGroup {
 public:
  ServiceGroup(boost::asio::io_context& io, log::Logger logger);

  void add(std::shared_ptr<Service> service);

  // Runs the io_context until every service has finished. Returns the process exit code:
  // 0 after a clean stop, 1 when a service failed to start or threw.
  int run();

  // Begins the stop from any thread.
  void stop();

 private:
  boost::asio::awaitable<void> supervise();
  void stop_services(std::string_view reason);

  boost::asio::io_context& io_;
  log::Logger log_;
  std::vector<std::shared_ptr<Service>> services_;
  // Valid while run() is on the stack.
  std::vector<std::unique_ptr<RunState>>* runs_ = nullptr;
  boost::asio::signal_set* signals_ = nullptr;
  std::size_t started_ = 0;
  std::optional<std::size_t> starting_;  // the service whose start() is running
  bool stopping_ = false;
  bool failed_ = false;
};

}  // namespace cupola
