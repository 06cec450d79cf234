#pragma once

// In-memory fakes of the broker's store and target server, and a way to drive coroutines on
// a test's io_context.

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "service_broker/src/errors.h"
#include "service_broker/src/store.h"
#include "service_broker/src/target.h"

namespace cupola::pg_broker::test {

namespace asio = boost::asio;

// Runs `a` on `io` until it completes (background work it starts may still be pending).
template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.restart();
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
  return f.get();
}

// Runs whatever is ready without blocking (background operations that can finish).
inline void settle(asio::io_context& io) {
  io.restart();
  io.poll();
}

// BrokerStore in maps. Every method completes at once.
class MemoryStore final : public BrokerStore {
 public:
  std::map<std::string, Instance> instances;
  std::vector<Operation> operations;
  std::map<std::pair<std::string, std::string>, Binding> bindings;
  std::optional<Error> fail_finish;  // finish_operation fails with it while set

  asio::awaitable<Result<std::optional<Instance>>> get_instance(std::string id) override {
    auto it = instances.find(id);
    if (it == instances.end()) co_return std::optional<Instance>{};
    co_return std::optional<Instance>(it->second);
  }
  asio::awaitable<Result<Operation>> create_instance(Instance instance, Operation op) override {
    auto it = instances.find(instance.id);
    if (it != instances.end() && it->second.state != InstanceState::Deleted &&
        it->second.state != InstanceState::ProvisionFailed) {
      co_return make_error(Errc::Conflict, "exists");
    }
    instance.state = InstanceState::Provisioning;
    instances[instance.id] = instance;
    co_return add(std::move(op));
  }
  asio::awaitable<Result<Operation>> start_operation(std::string id,
                                                     std::vector<InstanceState> from,
                                                     InstanceState to, Operation op) override {
    auto it = instances.find(id);
    if (it == instances.end()) co_return make_error(Errc::NotFound, "no instance");
    if (std::find(from.begin(), from.end(), it->second.state) == from.end()) {
      co_return make_error(Errc::Conflict, "wrong state");
    }
    it->second.state = to;
    co_return add(std::move(op));
  }
  asio::awaitable<Status> finish_operation(Operation op, OperationState state,
                                           std::string description,
                                           InstanceState instance_state) override {
    if (fail_finish) co_return *fail_finish;
    for (auto& o : operations) {
      if (o.id == op.id) {
        o.state = state;
        o.description = description;
      }
    }
    auto& i = instances.at(op.instance_id);
    i.state = instance_state;
    if (op.kind == OperationKind::Update && state == OperationState::Succeeded) {
      i.attributes.plan_id = op.plan_id;
      i.attributes.parameters = op.parameters;
    }
    if (instance_state == InstanceState::Deleted) {
      std::erase_if(bindings, [&](const auto& kv) { return kv.first.first == op.instance_id; });
    }
    co_return Status{};
  }
  asio::awaitable<Result<std::optional<Operation>>> latest_operation(
      std::string id, std::optional<OperationKind> kind) override {
    for (auto it = operations.rbegin(); it != operations.rend(); ++it) {
      if (it->instance_id == id && (!kind || it->kind == *kind)) {
        co_return std::optional<Operation>(*it);
      }
    }
    co_return std::optional<Operation>{};
  }
  asio::awaitable<Result<std::vector<Operation>>> operations_in_progress() override {
    std::vector<Operation> out;
    for (const auto& o : operations) {
      if (o.state == OperationState::InProgress) out.push_back(o);
    }
    co_return out;
  }
  asio::awaitable<Result<std::optional<Binding>>> get_binding(std::string iid,
                                                              std::string bid) override {
    auto it = bindings.find({iid, bid});
    if (it == bindings.end()) co_return std::optional<Binding>{};
    co_return std::optional<Binding>(it->second);
  }
  asio::awaitable<Status> create_binding(Binding b) override {
    auto key = std::make_pair(b.instance_id, b.binding_id);
    if (bindings.contains(key)) co_return make_error(Errc::Conflict, "exists");
    bindings[key] = std::move(b);
    co_return Status{};
  }
  asio::awaitable<Status> set_binding_state(std::string iid, std::string bid,
                                            BindingState state) override {
    if (auto it = bindings.find({iid, bid}); it != bindings.end()) it->second.state = state;
    co_return Status{};
  }
  asio::awaitable<Status> delete_binding(std::string iid, std::string bid) override {
    bindings.erase({iid, bid});
    co_return Status{};
  }
  asio::awaitable<Result<std::vector<Binding>>> list_bindings(
      std::string iid, std::optional<BindingState> state) override {
    std::vector<Binding> out;
    for (const auto& [k, b] : bindings) {
      if ((iid.empty() || k.first == iid) && (!state || b.state == *state)) out.push_back(b);
    }
    co_return out;
  }

 private:
  Operation add(Operation op) {
    op.id = static_cast<std::int64_t>(operations.size()) + 1;
    op.state = OperationState::InProgress;
    operations.push_back(op);
    return op;
  }
};

// TargetServer in memory: databases with their connection limits, users with their
// database and password. `hold()` makes database calls wait until `release()`, to look at
// operations in progress. Errors are injected per call name.
class FakeTarget final : public TargetServer {
 public:
  explicit FakeTarget(asio::io_context& io) : gate_(io, asio::steady_timer::time_point::max()) {}

  std::map<std::string, int> databases;
  std::map<std::string, std::pair<std::string, std::string>> users;  // name → (db, password)
  std::vector<std::string> calls;
  std::map<std::string, Error> failures;  // call name → the error it returns

  void hold() { held_ = true; }
  void release() {
    held_ = false;
    gate_.cancel();
  }

  asio::awaitable<Status> create_database(std::string db, int limit) override {
    if (auto s = co_await enter("create_database"); !s) co_return s;
    databases[db] = limit;
    co_return Status{};
  }
  asio::awaitable<Status> set_connection_limit(std::string db, int limit) override {
    if (auto s = co_await enter("set_connection_limit"); !s) co_return s;
    databases.at(db) = limit;
    co_return Status{};
  }
  asio::awaitable<Status> drop_database(std::string db) override {
    if (auto s = co_await enter("drop_database"); !s) co_return s;
    databases.erase(db);
    std::erase_if(users, [&](const auto& kv) { return kv.second.first == db; });
    co_return Status{};
  }
  asio::awaitable<Status> create_user(std::string db, std::string user,
                                      std::string password) override {
    calls.push_back("create_user");
    if (auto it = failures.find("create_user"); it != failures.end()) co_return it->second;
    users[user] = {db, password};
    co_return Status{};
  }
  asio::awaitable<Status> drop_user(std::string, std::string user) override {
    calls.push_back("drop_user");
    if (auto it = failures.find("drop_user"); it != failures.end()) co_return it->second;
    users.erase(user);
    co_return Status{};
  }

 private:
  asio::awaitable<Status> enter(std::string name) {
    calls.push_back(name);
    while (held_) co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
    gate_.expires_at(asio::steady_timer::time_point::max());
    if (auto it = failures.find(name); it != failures.end()) co_return it->second;
    co_return Status{};
  }

  asio::steady_timer gate_;
  bool held_ = false;
};

inline Error target_failure(std::string message) {
  return broker_error(BrokerErrc::TargetFailed, std::move(message));
}

}  // namespace cupola::pg_broker::test
