// ServiceOperations for bindings and service keys: bind (fetching the credentials after an
// asynchronous bind) and unbind through the instance's broker.
#include "cloud_controller/src/services/operations.h"

#include "cloud_controller/src/services/operation_parts.h"

namespace cupola::cc {
namespace asio = boost::asio;
using services::BrokerAction;
using services::BrokerOutcome;
using namespace operation_parts;

asio::awaitable<void> ServiceOperations::forget_instance(std::string guid) {
  auto gone = co_await services_.delete_instance(guid);
  if (!gone) log_.error("service-instance-not-deleted", guid + ": " + gone.error().message);
}

asio::awaitable<OperationEnd> ServiceOperations::unbind_now(ServiceBinding b, Target t,
                                                            std::string user_guid) {
  const std::string path =
      "/v2/service_instances/" + b.service_instance_guid + "/service_bindings/" + b.guid;
  const std::string ids = ids_query(t.service_id, t.plan_id);
  services::BrokerRequest req;
  req.method = http::Method::Delete;
  req.path = path + "?accepts_incomplete=true&" + ids;
  auto reply = co_await services::call_broker(client_, t.endpoint, std::move(req), user_guid,
                                              timings_.broker_timeout);
  std::string shown_url = t.endpoint.url + path;
  BrokerOutcome o = services::judge_reply(BrokerAction::unbind, reply, shown_url);
  OperationEnd end = failure(o.description);
  if (o.kind == BrokerOutcome::Kind::done) end = succeeded();
  if (o.kind == BrokerOutcome::Kind::accepted) {
    std::string poll_path = path + "/last_operation?" + ids;
    if (!o.operation.empty()) poll_path += "&operation=" + http::percent_encode(o.operation);
    end = co_await poll(t, poll_path, BrokerAction::unbind, o.retry_after, user_guid);
  }
  if (end.state == "succeeded") {
    if (auto st = co_await services_.delete_binding(b.guid); !st) {
      co_return failure(st.error().message);
    }
  }
  co_return end;
}

asio::awaitable<void> ServiceOperations::run_binding(std::string guid, BrokerAction action,
                                                     std::string parameters_json,
                                                     std::string user_guid, bool resumed) {
  Viewer all;
  all.admin = true;
  auto found = co_await services_.binding(all, guid);
  if (!found || !*found) {
    log_.error("service-binding-unreadable", guid);
    co_return;
  }
  ServiceBinding b = std::move(**found);
  const std::string operation = job_operation(action);
  auto end_with = [this, guid, operation, job = b.job_guid](
                      OperationEnd end, std::optional<std::string> credentials,
                      std::optional<std::string> drain) -> asio::awaitable<void> {
    if (auto st = co_await services_.end_binding_operation(guid, end, credentials, drain); !st) {
      log_.error("service-binding-not-saved", st.error().message);
    }
    co_await finish_job(job, operation, end);
  };
  auto instance = co_await services_.stored_instance(b.service_instance_guid);
  if (!instance) {
    co_await end_with(failure(instance.error().message), std::nullopt, std::nullopt);
    co_return;
  }
  auto t = co_await target(instance->plan_guid.value_or(""), instance->space_guid);
  if (!t) {
    co_await end_with(failure(t.error().message), std::nullopt, std::nullopt);
    co_return;
  }
  const std::string path =
      "/v2/service_instances/" + b.service_instance_guid + "/service_bindings/" + guid;
  const std::string ids = ids_query(t->service_id, t->plan_id);
  if (action == BrokerAction::unbind) {
    OperationEnd end = co_await unbind_now(b, *t, user_guid);
    if (end.state == "succeeded") {
      co_await finish_job(b.job_guid, operation, end);
    } else {
      co_await end_with(end, std::nullopt, std::nullopt);
    }
    co_return;
  }
  BrokerOutcome outcome;
  if (resumed && b.broker_operation) {
    outcome.kind = BrokerOutcome::Kind::accepted;
    outcome.operation = *b.broker_operation;
  } else if (resumed) {
    outcome.description =
        "The Cloud Controller stopped before the service broker answered; try again.";
    outcome.orphan_mitigation = true;
  } else {
    services::BrokerRequest req;
    req.method = http::Method::Put;
    req.path = path + "?accepts_incomplete=true";
    json::Writer w;
    w.start_object().field("service_id", t->service_id).field("plan_id", t->plan_id);
    if (!b.app_guid.empty()) w.field("app_guid", b.app_guid);
    w.key("bind_resource").start_object();
    if (!b.app_guid.empty()) w.field("app_guid", b.app_guid).field("space_guid", t->space_guid);
    w.end_object();
    write_context(w, instance->name, t->organization_guid, t->organization_name, t->space_guid,
                  t->space_name);
    write_parameters(w, parameters_json);
    w.end_object();
    req.body = w.str();
    std::string shown_url = t->endpoint.url + path;
    auto reply = co_await services::call_broker(client_, t->endpoint, std::move(req), user_guid,
                                                timings_.broker_timeout);
    outcome = services::judge_reply(BrokerAction::bind, reply, shown_url);
  }
  if (outcome.kind == BrokerOutcome::Kind::accepted) {
    if (auto st = co_await services_.accepted_binding_operation(guid, outcome.operation); !st) {
      log_.error("service-binding-not-saved", st.error().message);
    }
    co_await job_polling(b.job_guid);
    std::string poll_path = path + "/last_operation?" + ids;
    if (!outcome.operation.empty())
      poll_path += "&operation=" + http::percent_encode(outcome.operation);
    OperationEnd end =
        co_await poll(*t, poll_path, BrokerAction::bind, outcome.retry_after, user_guid);
    if (end.state != "succeeded") {
      co_await end_with(end, std::nullopt, std::nullopt);
      co_return;
    }
    services::BrokerRequest fetch;
    fetch.path = path + "?" + ids;
    auto reply = co_await services::call_broker(client_, t->endpoint, std::move(fetch), user_guid,
                                                timings_.broker_timeout);
    std::string shown_url = t->endpoint.url + path;
    outcome = services::judge_reply(BrokerAction::fetch_binding, reply, shown_url);
    if (outcome.kind == BrokerOutcome::Kind::failed) outcome.orphan_mitigation = true;
  }
  if (outcome.kind == BrokerOutcome::Kind::done) {
    auto sealed = secrets_.seal(outcome.credentials_json.value_or("{}"));
    if (!sealed) {
      outcome = BrokerOutcome{};
      outcome.description = "The credentials could not be stored.";
      outcome.orphan_mitigation = true;
    } else {
      co_await end_with(succeeded(), *sealed, outcome.syslog_drain_url);
      co_return;
    }
  }
  log_.info("service-operation-failed",
            {{"operation", "bind"}, {"guid", guid}, {"reason", outcome.description}});
  co_await end_with(failure(outcome.description), std::nullopt, std::nullopt);
  if (outcome.orphan_mitigation) {
    std::string undo = path + "?accepts_incomplete=true&" + ids;
    co_await mitigate(*t, undo, user_guid);
  }
}

}  // namespace cupola::cc
