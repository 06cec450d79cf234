// The binding half of the Broker, and its recovery after a restart.
#include "service_broker/src/broker.h"
#include "service_broker/src/errors.h"
#include "service_broker/src/names.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

asio::awaitable<Result<BindAnswer>> Broker::bind(std::string instance_id, std::string binding_id,
                                                 BindingAttributes request) {
  const std::string database = instance_database(instance_id);
  for (int pass = 0;; ++pass) {
    auto instance = co_await deps_.store.get_instance(instance_id);
    if (!instance) co_return std::move(instance).error();
    auto binding = co_await deps_.store.get_binding(instance_id, binding_id);
    if (!binding) co_return std::move(binding).error();
    auto d = decide_bind(*instance, *binding, request);
    if (d.verdict == Verdict::Done)
      co_return BindAnswer{Outcome::Ok, std::move(**binding), database};
    if (d.verdict != Verdict::Start) co_return refusal(d);

    auto password = deps_.make_password();
    if (!password) co_return std::move(password).error();
    Binding b;
    b.instance_id = instance_id;
    b.binding_id = binding_id;
    b.attributes = request;
    b.state = BindingState::Creating;
    b.username = binding_username(instance_id, binding_id);
    b.password = std::move(*password);
    // Recorded first, so that a crash before the role exists leaves a trace to clean up.
    auto recorded = co_await deps_.store.create_binding(b);
    if (!recorded && recorded.error().code == make_error_code(Errc::Conflict) && pass == 0) {
      continue;
    }
    if (!recorded) co_return std::move(recorded).error();
    log::Data data{
        {"instance_id", instance_id}, {"binding_id", binding_id}, {"username", b.username}};
    auto made = co_await deps_.target.create_user(database, b.username, b.password);
    if (!made) {
      deps_.log.error("bind.failed", made.error().message, data);
      // Whatever part of the role exists goes, and with it the record.
      if (auto undone = co_await deps_.target.drop_user(database, b.username); !undone) {
        deps_.log.error("bind.undo-failed", undone.error().message, data);
        co_return std::move(made).error();
      }
      (void)co_await deps_.store.delete_binding(instance_id, binding_id);
      co_return std::move(made).error();
    }
    auto ready =
        co_await deps_.store.set_binding_state(instance_id, binding_id, BindingState::Ready);
    if (!ready) co_return std::move(ready).error();
    b.state = BindingState::Ready;
    deps_.log.info("bind.succeeded", data);
    co_return BindAnswer{Outcome::Created, std::move(b), database};
  }
}

asio::awaitable<Status> Broker::unbind(std::string instance_id, std::string binding_id) {
  auto instance = co_await deps_.store.get_instance(instance_id);
  if (!instance) co_return std::move(instance).error();
  auto binding = co_await deps_.store.get_binding(instance_id, binding_id);
  if (!binding) co_return std::move(binding).error();
  auto d = decide_unbind(*instance, *binding);
  if (d.verdict != Verdict::Start) co_return refusal(d);
  log::Data data{
      {"instance_id", instance_id}, {"binding_id", binding_id}, {"username", (*binding)->username}};
  auto dropped =
      co_await deps_.target.drop_user(instance_database(instance_id), (*binding)->username);
  if (!dropped) {
    deps_.log.error("unbind.failed", dropped.error().message, data);
    co_return dropped;
  }
  auto deleted = co_await deps_.store.delete_binding(instance_id, binding_id);
  if (!deleted) co_return deleted;
  deps_.log.info("unbind.succeeded", data);
  co_return Status{};
}

asio::awaitable<Result<BindAnswer>> Broker::fetch_binding(std::string instance_id,
                                                          std::string binding_id) {
  auto instance = co_await deps_.store.get_instance(instance_id);
  if (!instance) co_return std::move(instance).error();
  auto binding = co_await deps_.store.get_binding(instance_id, binding_id);
  if (!binding) co_return std::move(binding).error();
  auto d = decide_fetch_binding(*instance, *binding);
  if (d.verdict != Verdict::Start) co_return refusal(d);
  co_return BindAnswer{Outcome::Ok, std::move(**binding), instance_database(instance_id)};
}

asio::awaitable<Status> Broker::recover() {
  auto ops = co_await deps_.store.operations_in_progress();
  if (!ops) co_return std::move(ops).error();
  for (auto& op : *ops) {
    deps_.log.info("operation.resumed", {{"instance_id", op.instance_id},
                                         {"operation", std::string(to_string(op.kind))}});
    spawn(std::move(op));
  }
  auto creating = co_await deps_.store.list_bindings("", BindingState::Creating);
  if (!creating) co_return std::move(creating).error();
  for (const auto& b : *creating) {
    log::Data data{{"instance_id", b.instance_id}, {"binding_id", b.binding_id}};
    auto dropped = co_await deps_.target.drop_user(instance_database(b.instance_id), b.username);
    if (!dropped) {
      deps_.log.error("binding.cleanup-failed", dropped.error().message, data);
      continue;
    }
    (void)co_await deps_.store.delete_binding(b.instance_id, b.binding_id);
    deps_.log.info("binding.cleaned-up", data);
  }
  co_return Status{};
}

}  // namespace cupola::pg_broker
