#include "service_broker/src/broker.h"

#include <cassert>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "service_broker/src/errors.h"
#include "service_broker/src/names.h"
#include "service_broker/src/secrets.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

namespace {

bool is_conflict(const Error& e) { return e.code == make_error_code(Errc::Conflict); }

Error async_required() {
  return broker_error(BrokerErrc::AsyncRequired,
                      "This service plan requires client support for asynchronous service "
                      "operations (accepts_incomplete=true).");
}

struct Ending {
  OperationState state;
  InstanceState instance;
  std::string description;
};

Ending ending_of(const Operation& op, const Status& result, const Catalog& catalog) {
  bool ok = result.ok();
  std::string why = ok ? "" : ": " + result.error().message;
  switch (op.kind) {
    case OperationKind::Provision:
      if (ok) return {OperationState::Succeeded, InstanceState::Ready, "The database is ready."};
      return {OperationState::Failed, InstanceState::ProvisionFailed,
              "Creating the database failed" + why};
    case OperationKind::Update:
      if (ok) {
        const auto* plan = catalog.find_plan(op.plan_id);
        return {OperationState::Succeeded, InstanceState::Ready,
                "The database is on plan " + (plan ? plan->name : op.plan_id) + "."};
      }
      return {OperationState::Failed, InstanceState::Ready, "Changing the plan failed" + why};
    case OperationKind::Deprovision:
      break;
  }
  if (ok) return {OperationState::Succeeded, InstanceState::Deleted, "The database is deleted."};
  return {OperationState::Failed, InstanceState::DeprovisionFailed,
          "Deleting the database failed" + why};
}

}  // namespace

Error refusal(const Decision& d) {
  switch (d.verdict) {
    case Verdict::Conflict:
      return broker_error(BrokerErrc::Conflict, d.reason);
    case Verdict::Busy:
      return broker_error(BrokerErrc::ConcurrencyError, d.reason);
    case Verdict::NotUsable:
      return broker_error(BrokerErrc::InstanceNotUsable, d.reason);
    case Verdict::NotFound:
      return broker_error(BrokerErrc::NotFound, d.reason);
    case Verdict::Gone:
      return broker_error(BrokerErrc::Gone, d.reason);
    case Verdict::BadRequest:
      return broker_error(BrokerErrc::BadRequest, d.reason);
    default:
      assert(false && "not a refusal");
      return make_error(Errc::Internal, "not a refusal");
  }
}

Error refusal(Verdict verdict, std::string reason) {
  return refusal(Decision{verdict, std::move(reason)});
}

Broker::Broker(asio::any_io_executor ex, BrokerOptions options, BrokerDeps deps)
    : ex_(ex), options_(options), deps_(std::move(deps)), idle_(ex) {
  if (!deps_.make_password) deps_.make_password = [] { return generate_password(); };
}

asio::awaitable<Result<Answer>> Broker::provision(std::string instance_id, ProvisionRequest request,
                                                  bool accepts_incomplete) {
  if (options_.async && !accepts_incomplete) co_return async_required();
  // A second pass decides again when a concurrent request changed the instance meanwhile.
  for (int pass = 0;; ++pass) {
    auto existing = co_await deps_.store.get_instance(instance_id);
    if (!existing) co_return std::move(existing).error();
    auto d = decide_provision(*existing, request.attributes);
    switch (d.verdict) {
      case Verdict::Start: {
        Instance instance;
        instance.id = instance_id;
        instance.attributes = request.attributes;
        instance.context = request.context;
        Operation op;
        op.instance_id = instance_id;
        op.kind = OperationKind::Provision;
        op.description = "Creating the database.";
        op.plan_id = request.attributes.plan_id;
        op.parameters = request.attributes.parameters;
        auto started = co_await deps_.store.create_instance(std::move(instance), std::move(op));
        if (!started && is_conflict(started.error()) && pass == 0) continue;
        if (!started) co_return std::move(started).error();
        co_return co_await carry_out(std::move(started).value(), Outcome::Created);
      }
      case Verdict::Done:
        co_return Answer{Outcome::Ok, {}};
      case Verdict::InProgress:
        if (options_.async) co_return Answer{Outcome::Accepted, "provision"};
        co_return refusal(Verdict::Busy, "the service instance is being created");
      default:
        co_return refusal(d);
    }
  }
}

asio::awaitable<Result<Answer>> Broker::update(std::string instance_id, UpdateRequest request,
                                               bool accepts_incomplete) {
  if (options_.async && !accepts_incomplete) co_return async_required();
  for (int pass = 0;; ++pass) {
    auto existing = co_await deps_.store.get_instance(instance_id);
    if (!existing) co_return std::move(existing).error();
    std::optional<Operation> in_progress;
    if (*existing && (*existing)->state == InstanceState::Updating) {
      auto op = co_await deps_.store.latest_operation(instance_id, OperationKind::Update);
      if (!op) co_return std::move(op).error();
      in_progress = std::move(*op);
    }
    auto d = decide_update(*existing, request, in_progress);
    if (d.verdict == Verdict::InProgress) {
      if (options_.async) co_return Answer{Outcome::Accepted, "update"};
      co_return refusal(Verdict::Busy, "the service instance is being updated");
    }
    if (d.verdict != Verdict::Start) co_return refusal(d);
    auto target = updated_attributes(**existing, request);
    // A request that changes nothing has had its effect.
    if (target == (*existing)->attributes) co_return Answer{Outcome::Ok, {}};
    Operation op;
    op.instance_id = instance_id;
    op.kind = OperationKind::Update;
    op.description = "Changing the plan.";
    op.plan_id = target.plan_id;
    op.parameters = target.parameters;
    std::vector<InstanceState> from{InstanceState::Ready};
    auto started = co_await deps_.store.start_operation(instance_id, std::move(from),
                                                        InstanceState::Updating, std::move(op));
    if (!started && is_conflict(started.error()) && pass == 0) continue;
    if (!started) co_return std::move(started).error();
    co_return co_await carry_out(std::move(started).value(), Outcome::Ok);
  }
}

asio::awaitable<Result<Answer>> Broker::deprovision(std::string instance_id,
                                                    bool accepts_incomplete) {
  if (options_.async && !accepts_incomplete) co_return async_required();
  for (int pass = 0;; ++pass) {
    auto existing = co_await deps_.store.get_instance(instance_id);
    if (!existing) co_return std::move(existing).error();
    auto d = decide_deprovision(*existing);
    if (d.verdict == Verdict::InProgress) {
      if (options_.async) co_return Answer{Outcome::Accepted, "deprovision"};
      co_return refusal(Verdict::Busy, "the service instance is being deleted");
    }
    if (d.verdict != Verdict::Start) co_return refusal(d);
    Operation op;
    op.instance_id = instance_id;
    op.kind = OperationKind::Deprovision;
    op.description = "Deleting the database.";
    op.plan_id = (*existing)->attributes.plan_id;
    // Built outside the co_await: GCC 12 miscompiles braced lists inside one.
    std::vector<InstanceState> from{InstanceState::Ready, InstanceState::ProvisionFailed,
                                    InstanceState::DeprovisionFailed};
    auto started = co_await deps_.store.start_operation(
        instance_id, std::move(from), InstanceState::Deprovisioning, std::move(op));
    if (!started && is_conflict(started.error()) && pass == 0) continue;
    if (!started) co_return std::move(started).error();
    co_return co_await carry_out(std::move(started).value(), Outcome::Ok);
  }
}

asio::awaitable<Result<Operation>> Broker::last_operation(std::string instance_id,
                                                          std::optional<std::string> operation) {
  auto instance = co_await deps_.store.get_instance(instance_id);
  if (!instance) co_return std::move(instance).error();
  std::optional<OperationKind> kind;
  if (operation) kind = parse_operation_kind(*operation);
  std::optional<Operation> found;
  if (*instance && (!operation || kind)) {
    auto op = co_await deps_.store.latest_operation(instance_id, kind);
    if (!op) co_return std::move(op).error();
    found = std::move(*op);
  }
  auto d = decide_last_operation(*instance, operation, found);
  if (d.verdict != Verdict::Start) co_return refusal(d);
  co_return std::move(*found);
}

asio::awaitable<Result<Instance>> Broker::fetch_instance(std::string instance_id) {
  auto instance = co_await deps_.store.get_instance(instance_id);
  if (!instance) co_return std::move(instance).error();
  auto d = decide_fetch_instance(*instance);
  if (d.verdict != Verdict::Start) co_return refusal(d);
  co_return std::move(**instance);
}

asio::awaitable<Result<Answer>> Broker::carry_out(Operation op, Outcome when_done) {
  std::string name(to_string(op.kind));
  deps_.log.info(name + ".started", {{"instance_id", op.instance_id}, {"plan_id", op.plan_id}});
  if (options_.async) {
    spawn(std::move(op));
    co_return Answer{Outcome::Accepted, name};
  }
  auto done = co_await execute(std::move(op));
  if (!done) co_return std::move(done).error();
  co_return Answer{when_done, {}};
}

void Broker::spawn(Operation op) {
  // Counted before it starts, so that wait_idle sees it at once.
  ++running_;
  asio::co_spawn(ex_, execute_in_background(std::move(op)), asio::detached);
}

asio::awaitable<void> Broker::execute_in_background(Operation op) {
  co_await execute(std::move(op));
  if (--running_ == 0) idle_.cancel();
}

asio::awaitable<void> Broker::wait_idle() {
  while (running_ > 0) {
    idle_.expires_at(asio::steady_timer::time_point::max());
    co_await idle_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<Status> Broker::execute(Operation op) {
  const std::string database = instance_database(op.instance_id);
  const auto* plan = deps_.catalog.find_plan(op.plan_id);
  Status result;
  if (op.kind != OperationKind::Deprovision && !plan) {
    result = broker_error(BrokerErrc::BadRequest, "plan " + op.plan_id + " is no longer offered");
  } else if (op.kind == OperationKind::Provision) {
    result = co_await deps_.target.create_database(database, plan->connection_limit);
  } else if (op.kind == OperationKind::Update) {
    result = co_await deps_.target.set_connection_limit(database, plan->connection_limit);
  } else {
    result = co_await deps_.target.drop_database(database);
  }
  auto end = ending_of(op, result, deps_.catalog);
  std::string name(to_string(op.kind));
  log::Data data{{"instance_id", op.instance_id}, {"database", database}};
  if (result) {
    deps_.log.info(name + ".succeeded", data);
  } else {
    deps_.log.error(name + ".failed", result.error().message, data);
  }
  auto recorded = co_await deps_.store.finish_operation(std::move(op), end.state,
                                                        std::move(end.description), end.instance);
  if (!recorded) {
    // The operation stays in progress in the store and runs again at the next start.
    deps_.log.error(name + ".not-recorded", recorded.error().message, data);
    if (result) co_return std::move(recorded).error();
  }
  co_return result;
}

}  // namespace cupola::pg_broker
