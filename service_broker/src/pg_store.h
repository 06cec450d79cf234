#pragma once

#include "common/core/clock.h"
#include "common/pg/pool.h"
#include "service_broker/src/store.h"

namespace cupola::pg_broker {

// BrokerStore on the broker's own Postgres database (schema.h). Uses `pool` on its
// executor; both must outlive the store.
class PgBrokerStore final : public BrokerStore {
 public:
  PgBrokerStore(pg::Pool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // BrokerStore
  boost::asio::awaitable<Result<std::optional<Instance>>> get_instance(
      std::string instance_id) override;
  boost::asio::awaitable<Result<Operation>> create_instance(Instance instance,
                                                            Operation op) override;
  boost::asio::awaitable<Result<Operation>> start_operation(std::string instance_id,
                                                            std::vector<InstanceState> from,
                                                            InstanceState to,
                                                            Operation op) override;
  boost::asio::awaitable<Status> finish_operation(Operation op, OperationState state,
                                                  std::string description,
                                                  InstanceState instance_state) override;
  boost::asio::awaitable<Result<std::optional<Operation>>> latest_operation(
      std::string instance_id, std::optional<OperationKind> kind) override;
  boost::asio::awaitable<Result<std::vector<Operation>>> operations_in_progress() override;
  boost::asio::awaitable<Result<std::optional<Binding>>> get_binding(
      std::string instance_id, std::string binding_id) override;
  boost::asio::awaitable<Status> create_binding(Binding binding) override;
  boost::asio::awaitable<Status> set_binding_state(std::string instance_id, std::string binding_id,
                                                   BindingState state) override;
  boost::asio::awaitable<Status> delete_binding(std::string instance_id,
                                                std::string binding_id) override;
  boost::asio::awaitable<Result<std::vector<Binding>>> list_bindings(
      std::string instance_id, std::optional<BindingState> state) override;

 private:
  std::int64_t now() const { return unix_nanos(clock_.now()); }

  pg::Pool& pool_;
  const Clock& clock_;
};

}  // namespace cupola::pg_broker
