#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/core/clock.h"
#include "common/core/result.h"
#include "common/log/log.h"
#include "service_broker/src/catalog.h"
#include "service_broker/src/decisions.h"
#include "service_broker/src/requests.h"
#include "service_broker/src/store.h"
#include "service_broker/src/target.h"

namespace cupola::pg_broker {

struct BrokerDeps {
  BrokerStore& store;
  TargetServer& target;
  const Catalog& catalog;
  log::Logger log;
  // A new binding's password; generate_password() unless a test says otherwise.
  std::function<Result<std::string>()> make_password;
};

struct BrokerOptions {
  // Provision, update and deprovision run in the background and answer Accepted; the
  // platform must accept that (accepts_incomplete=true) or gets AsyncRequired.
  bool async = true;
};

// How a request that changes something ended.
enum class Outcome {
  Created,   // 201
  Ok,        // 200: done now, or nothing to do
  Accepted,  // 202: under way; poll last_operation with `operation`
};

struct Answer {
  Outcome outcome = Outcome::Ok;
  std::string operation;  // for Accepted
};

struct BindAnswer {
  Outcome outcome = Outcome::Created;
  Binding binding;
  std::string database;
};

// The broker's rules (OSB v2.17): what each platform request does to the store and the
// target server. Decisions come from decisions.h; this class carries them out. Errors are
// BrokerErrc codes (errors.h) or the store's. Every call, and the background operations,
// run on `ex` (a single-threaded executor); the deps outlive the broker.
class Broker {
 public:
  Broker(boost::asio::any_io_executor ex, BrokerOptions options, BrokerDeps deps);

  const Catalog& catalog() const { return deps_.catalog; }

  boost::asio::awaitable<Result<Answer>> provision(std::string instance_id,
                                                   ProvisionRequest request,
                                                   bool accepts_incomplete);
  boost::asio::awaitable<Result<Answer>> update(std::string instance_id, UpdateRequest request,
                                                bool accepts_incomplete);
  boost::asio::awaitable<Result<Answer>> deprovision(std::string instance_id,
                                                     bool accepts_incomplete);
  // The operation to report; `operation` is the platform's query parameter.
  boost::asio::awaitable<Result<Operation>> last_operation(std::string instance_id,
                                                           std::optional<std::string> operation);
  boost::asio::awaitable<Result<Instance>> fetch_instance(std::string instance_id);

  boost::asio::awaitable<Result<BindAnswer>> bind(std::string instance_id, std::string binding_id,
                                                  BindingAttributes request);
  boost::asio::awaitable<Status> unbind(std::string instance_id, std::string binding_id);
  boost::asio::awaitable<Result<BindAnswer>> fetch_binding(std::string instance_id,
                                                           std::string binding_id);

  // After a restart: resumes the operations left in progress (their steps are idempotent)
  // and removes bindings whose creation was cut short.
  boost::asio::awaitable<Status> recover();

  // Background operations still running.
  std::size_t running() const { return running_; }
  // Completes once no background operation is running.
  boost::asio::awaitable<void> wait_idle();

 private:
  // Runs `op` against the target server and records how it ended; returns the target's
  // result.
  boost::asio::awaitable<Status> execute(Operation op);
  boost::asio::awaitable<void> execute_in_background(Operation op);
  // Starts execute_in_background, counted in running().
  void spawn(Operation op);
  // Executes `op` now (synchronous mode) or in the background.
  boost::asio::awaitable<Result<Answer>> carry_out(Operation op, Outcome when_done);

  boost::asio::any_io_executor ex_;
  BrokerOptions options_;
  BrokerDeps deps_;
  std::size_t running_ = 0;
  boost::asio::steady_timer idle_;
};

// The BrokerErrc error a refusing decision stands for.
Error refusal(const Decision& d);
Error refusal(Verdict verdict, std::string reason);

}  // namespace cupola::pg_broker
