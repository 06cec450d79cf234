#include "cloud_controller/src/services/operations.h"

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "cloud_controller/src/services/operation_parts.h"

namespace cupola::cc {
namespace asio = boost::asio;
using services::BrokerAction;
using services::BrokerOutcome;
using services::PollOutcome;
using namespace operation_parts;

namespace {

constexpr int kMitigationAttempts = 3;

}  // namespace

ServiceOperations::ServiceOperations(asio::any_io_executor ex, TenancyDb& db, ServicesDb& services,
                                     BrokersDb& brokers, const SecretBox& secrets,
                                     http::Client& client, log::Logger log, ServiceTimings timings)
    : ex_(std::move(ex)),
      db_(db),
      services_(services),
      brokers_(brokers),
      secrets_(secrets),
      client_(client),
      log_(std::move(log)),
      timings_(timings) {}

void ServiceOperations::start(asio::awaitable<void> work) {
  asio::co_spawn(ex_, std::move(work), [log = log_](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log.error("service-operation-crashed", ex.what());
    }
  });
}

void ServiceOperations::provision(std::string instance_guid, std::string parameters_json,
                                  std::string user_guid) {
  start(run_instance(std::move(instance_guid), BrokerAction::provision, std::move(parameters_json),
                     std::move(user_guid), false));
}

void ServiceOperations::update(std::string instance_guid, std::string parameters_json,
                               std::string user_guid) {
  start(run_instance(std::move(instance_guid), BrokerAction::update, std::move(parameters_json),
                     std::move(user_guid), false));
}

void ServiceOperations::deprovision(std::string instance_guid, std::string user_guid) {
  start(run_instance(std::move(instance_guid), BrokerAction::deprovision, "", std::move(user_guid),
                     false));
}

void ServiceOperations::bind(std::string binding_guid, std::string parameters_json,
                             std::string user_guid) {
  start(run_binding(std::move(binding_guid), BrokerAction::bind, std::move(parameters_json),
                    std::move(user_guid), false));
}

void ServiceOperations::unbind(std::string binding_guid, std::string user_guid) {
  start(
      run_binding(std::move(binding_guid), BrokerAction::unbind, "", std::move(user_guid), false));
}

asio::awaitable<Status> ServiceOperations::resume() {
  auto instances = co_await services_.instances_in_progress();
  if (!instances) co_return std::move(instances).error();
  for (const auto& i : *instances) {
    log_.info("service-operation-resumed", {{"guid", i.guid}, {"operation", i.operation.type}});
    start(run_instance(i.guid, action_of(i.operation.type, false), "", "", true));
  }
  auto bindings = co_await services_.bindings_in_progress();
  if (!bindings) co_return std::move(bindings).error();
  for (const auto& b : *bindings) {
    log_.info("service-operation-resumed", {{"guid", b.guid}, {"operation", b.operation.type}});
    start(run_binding(b.guid, action_of(b.operation.type, true), "", "", true));
  }
  co_return Status{};
}

asio::awaitable<Result<ServiceOperations::Target>> ServiceOperations::target(
    std::string plan_guid, std::string space_guid) {
  Viewer all;
  all.admin = true;
  auto plan = co_await brokers_.plan(all, plan_guid);
  if (!plan) co_return std::move(plan).error();
  if (!*plan) co_return make_error(Errc::NotFound, "The service plan no longer exists.");
  auto broker = co_await brokers_.broker(all, (*plan)->broker_guid);
  if (!broker) co_return std::move(broker).error();
  if (!*broker) co_return make_error(Errc::NotFound, "The service broker no longer exists.");
  auto offering = co_await brokers_.offering(all, (*plan)->offering_guid);
  if (!offering) co_return std::move(offering).error();
  if (!*offering) co_return make_error(Errc::NotFound, "The service offering no longer exists.");
  auto password = secrets_.open((*broker)->password_sealed);
  if (!password) co_return std::move(password).error();
  auto space = co_await db_.space(all, space_guid);
  if (!space) co_return std::move(space).error();
  if (!*space) co_return make_error(Errc::NotFound, "The space no longer exists.");
  auto org = co_await db_.organization(all, (*space)->organization_guid);
  if (!org) co_return std::move(org).error();
  if (!*org) co_return make_error(Errc::NotFound, "The organization no longer exists.");
  Target t;
  t.endpoint.url = (*broker)->url;
  while (t.endpoint.url.ends_with('/')) t.endpoint.url.pop_back();
  t.endpoint.username = (*broker)->username;
  t.endpoint.password = *password;
  t.service_id = (*offering)->broker_id;
  t.plan_id = (*plan)->broker_id;
  t.max_polling_seconds = (*plan)->maximum_polling_duration;
  t.organization_guid = (*org)->guid;
  t.organization_name = (*org)->name;
  t.space_guid = (*space)->guid;
  t.space_name = (*space)->name;
  co_return t;
}

asio::awaitable<OperationEnd> ServiceOperations::poll(Target t, std::string path,
                                                      BrokerAction action,
                                                      std::optional<std::chrono::seconds> retry,
                                                      std::string user_guid) {
  auto limit = timings_.max_polling;
  if (t.max_polling_seconds) {
    limit =
        std::min<std::chrono::milliseconds>(limit, std::chrono::seconds(*t.max_polling_seconds));
  }
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::chrono::milliseconds wait = timings_.first_poll;
  std::string description;
  asio::steady_timer timer(ex_);
  for (;;) {
    std::chrono::milliseconds pause = retry ? std::chrono::milliseconds(*retry) : wait;
    wait = std::min(wait * 2, timings_.poll_interval);
    if (std::chrono::steady_clock::now() + pause > deadline) {
      pause = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
    }
    if (pause.count() > 0) {
      timer.expires_after(pause);
      co_await timer.async_wait(asio::use_awaitable);
    }
    services::BrokerRequest req;
    req.path = path;
    auto reply = co_await services::call_broker(client_, t.endpoint, std::move(req), user_guid,
                                                timings_.broker_timeout);
    PollOutcome o = services::judge_poll(action, reply);
    if (!o.description.empty()) description = o.description;
    if (o.kind == PollOutcome::Kind::succeeded) co_return succeeded(description);
    if (o.kind == PollOutcome::Kind::failed) {
      co_return failure(description.empty() ? std::string("The service broker reported the ") +
                                                  verb(action) + " failed."
                                            : description);
    }
    retry = o.retry_after;
    if (std::chrono::steady_clock::now() >= deadline) {
      co_return failure(std::string("Service Broker failed to ") + verb(action) +
                        " within the required time.");
    }
  }
}

asio::awaitable<void> ServiceOperations::mitigate(Target t, std::string path,
                                                  std::string user_guid) {
  asio::steady_timer timer(ex_);
  std::chrono::milliseconds wait = timings_.first_poll;
  for (int attempt = 1; attempt <= kMitigationAttempts; ++attempt) {
    services::BrokerRequest req;
    req.method = http::Method::Delete;
    req.path = path;
    auto reply = co_await services::call_broker(client_, t.endpoint, std::move(req), user_guid,
                                                timings_.broker_timeout);
    if (reply && ((reply->status >= 200 && reply->status < 300) || reply->status == 410)) {
      log_.info("orphan-mitigation-done", {{"path", path}});
      co_return;
    }
    if (reply && reply->status >= 400 && reply->status < 500) break;
    timer.expires_after(wait);
    co_await timer.async_wait(asio::use_awaitable);
    wait *= 2;
  }
  log_.error("orphan-mitigation-failed", "the broker did not confirm", {{"path", path}});
}

asio::awaitable<void> ServiceOperations::job_polling(std::optional<std::string> job) {
  if (!job || job->empty()) co_return;
  std::string polling = "POLLING";
  std::string none = "[]";
  if (auto st = co_await db_.finish_job(*job, polling, none); !st) {
    log_.error("job-not-saved", st.error().message);
  }
}

asio::awaitable<void> ServiceOperations::finish_job(std::optional<std::string> job,
                                                    std::string operation, OperationEnd end) {
  if (!job || job->empty()) co_return;
  std::string state = end.state == "succeeded" ? "COMPLETE" : "FAILED";
  std::string errors = "[]";
  if (end.state != "succeeded") {
    BrokerAction a = BrokerAction::provision;
    for (auto candidate : {BrokerAction::provision, BrokerAction::update, BrokerAction::deprovision,
                           BrokerAction::bind, BrokerAction::unbind}) {
      if (operation == job_operation(candidate)) a = candidate;
    }
    errors = job_errors(verb(a), end.description);
  }
  if (auto st = co_await db_.finish_job(*job, state, errors); !st) {
    log_.error("job-not-finished", st.error().message);
  }
}

asio::awaitable<void> ServiceOperations::run_instance(std::string guid, BrokerAction action,
                                                      std::string parameters_json,
                                                      std::string user_guid, bool resumed) {
  auto stored = co_await services_.stored_instance(guid);
  if (!stored) {
    log_.error("service-instance-unreadable", guid + ": " + stored.error().message);
    co_return;
  }
  ServiceInstance i = std::move(*stored);
  const std::string operation = job_operation(action);
  auto end_with = [this, guid, operation, job = i.job_guid](
                      OperationEnd end,
                      std::optional<std::string> dashboard) -> asio::awaitable<void> {
    if (auto st = co_await services_.end_instance_operation(guid, end, dashboard); !st) {
      log_.error("service-instance-not-saved", st.error().message);
    }
    co_await finish_job(job, operation, end);
  };
  auto t = co_await target(i.plan_guid.value_or(""), i.space_guid);
  if (!t) {
    if (action == BrokerAction::deprovision && t.error().code == make_error_code(Errc::NotFound)) {
      // Nothing left to ask: the broker is gone.
      co_await forget_instance(guid);
      co_await finish_job(i.job_guid, operation, succeeded());
      co_return;
    }
    co_await end_with(failure(t.error().message), std::nullopt);
    co_return;
  }
  const std::string instance_path = "/v2/service_instances/" + guid;
  const std::string ids = ids_query(t->service_id, t->plan_id);
  std::string plan_id = t->plan_id;
  if (action == BrokerAction::update && i.operation_plan_guid) {
    auto next = co_await target(*i.operation_plan_guid, i.space_guid);
    if (!next) {
      co_await end_with(failure(next.error().message), std::nullopt);
      co_return;
    }
    plan_id = next->plan_id;
  }
  BrokerOutcome outcome;
  if (resumed && i.broker_operation) {
    outcome.kind = BrokerOutcome::Kind::accepted;
    outcome.operation = *i.broker_operation;
  } else if (resumed && action != BrokerAction::deprovision) {
    outcome = BrokerOutcome{};
    outcome.description =
        "The Cloud Controller stopped before the service broker answered; try again.";
    outcome.orphan_mitigation = action == BrokerAction::provision;
  } else {
    if (action == BrokerAction::deprovision) {
      // Its bindings and keys go first, each through the broker.
      ListQuery q;
      q.filters["service_instance_guids"] = std::vector<std::string>{guid};
      q.per_page = 5000;
      Viewer all;
      all.admin = true;
      auto bindings = co_await services_.list_bindings(all, q);
      if (!bindings) {
        co_await end_with(failure(bindings.error().message), std::nullopt);
        co_return;
      }
      for (const auto& b : bindings->resources) {
        OperationEnd unbound = co_await unbind_now(b, *t, user_guid);
        if (unbound.state != "succeeded") {
          std::string what = b.type == "key" ? "service key " + b.name.value_or(b.guid)
                                             : "service binding " + b.guid;
          co_await end_with(
              failure("An unbind operation for the " + what + " of service instance " + i.name +
                      " failed: " + unbound.description),
              std::nullopt);
          co_return;
        }
      }
    }
    services::BrokerRequest req;
    if (action == BrokerAction::deprovision) {
      req.method = http::Method::Delete;
      req.path = instance_path + "?accepts_incomplete=true&" + ids;
    } else {
      req.method = action == BrokerAction::provision ? http::Method::Put : http::Method::Patch;
      req.path = instance_path + "?accepts_incomplete=true";
      json::Writer w;
      w.start_object().field("service_id", t->service_id).field("plan_id", plan_id);
      w.field("organization_guid", t->organization_guid).field("space_guid", t->space_guid);
      write_context(w, i.name, t->organization_guid, t->organization_name, t->space_guid,
                    t->space_name);
      write_parameters(w, parameters_json);
      if (action == BrokerAction::update) {
        w.key("previous_values").start_object().field("service_id", t->service_id);
        w.field("plan_id", t->plan_id).field("organization_id", t->organization_guid);
        w.field("space_id", t->space_guid).end_object();
      }
      w.end_object();
      req.body = w.str();
    }
    std::string shown_url = t->endpoint.url + instance_path;
    auto reply = co_await services::call_broker(client_, t->endpoint, std::move(req), user_guid,
                                                timings_.broker_timeout);
    outcome = services::judge_reply(action, reply, shown_url);
  }
  if (outcome.kind == BrokerOutcome::Kind::accepted) {
    if (auto st = co_await services_.accepted_instance_operation(guid, outcome.operation); !st) {
      log_.error("service-instance-not-saved", st.error().message);
    }
    co_await job_polling(i.job_guid);
    std::string path = instance_path + "/last_operation?" + ids;
    if (!outcome.operation.empty()) path += "&operation=" + http::percent_encode(outcome.operation);
    OperationEnd end = co_await poll(*t, path, action, outcome.retry_after, user_guid);
    if (action == BrokerAction::deprovision && end.state == "succeeded") {
      co_await forget_instance(guid);
      co_await finish_job(i.job_guid, operation, end);
      co_return;
    }
    co_await end_with(end, outcome.dashboard_url);
    co_return;
  }
  if (outcome.kind == BrokerOutcome::Kind::done) {
    if (action == BrokerAction::deprovision) {
      co_await forget_instance(guid);
      co_await finish_job(i.job_guid, operation, succeeded());
      co_return;
    }
    co_await end_with(succeeded(), outcome.dashboard_url);
    co_return;
  }
  log_.info("service-operation-failed",
            {{"operation", verb(action)}, {"guid", guid}, {"reason", outcome.description}});
  co_await end_with(failure(outcome.description), std::nullopt);
  if (outcome.orphan_mitigation) {
    std::string undo = instance_path + "?accepts_incomplete=true&" + ids;
    co_await mitigate(*t, undo, user_guid);
  }
}

}  // namespace cupola::cc
