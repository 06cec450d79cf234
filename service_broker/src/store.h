#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "service_broker/src/model.h"

namespace cupola::pg_broker {

// The broker's own state: instances (with tombstones), their operations and bindings.
// Every call is atomic. Calls run on the broker's executor; implementations may suspend.
// Errors other than those named are the database's (Errc::Unavailable, Errc::Timeout, ...).
class BrokerStore {
 public:
  virtual ~BrokerStore() = default;

  virtual boost::asio::awaitable<Result<std::optional<Instance>>> get_instance(
      std::string instance_id) = 0;

  // Records a new instance (state Provisioning) and its provision operation, replacing a
  // Deleted tombstone or a ProvisionFailed instance of the same id. Errc::Conflict when any
  // other instance with that id exists (someone got there first). Returns the operation
  // with its id.
  virtual boost::asio::awaitable<Result<Operation>> create_instance(Instance instance,
                                                                    Operation op) = 0;

  // Moves the instance from one of `from` to `to` and records `op` as in progress.
  // Errc::NotFound without the instance, Errc::Conflict when its state is not in `from`.
  virtual boost::asio::awaitable<Result<Operation>> start_operation(std::string instance_id,
                                                                    std::vector<InstanceState> from,
                                                                    InstanceState to,
                                                                    Operation op) = 0;

  // Ends `op` with `state` and `description` and moves its instance to `instance_state`. A
  // succeeded update also sets the instance's plan and parameters from the operation; an
  // instance moving to Deleted loses its bindings.
  virtual boost::asio::awaitable<Status> finish_operation(Operation op, OperationState state,
                                                          std::string description,
                                                          InstanceState instance_state) = 0;

  // The instance's latest operation, of `kind` when given.
  virtual boost::asio::awaitable<Result<std::optional<Operation>>> latest_operation(
      std::string instance_id, std::optional<OperationKind> kind) = 0;

  // Every operation still in progress (to resume after a restart), oldest first.
  virtual boost::asio::awaitable<Result<std::vector<Operation>>> operations_in_progress() = 0;

  virtual boost::asio::awaitable<Result<std::optional<Binding>>> get_binding(
      std::string instance_id, std::string binding_id) = 0;
  // Errc::Conflict when the binding exists.
  virtual boost::asio::awaitable<Status> create_binding(Binding binding) = 0;
  virtual boost::asio::awaitable<Status> set_binding_state(std::string instance_id,
                                                           std::string binding_id,
                                                           BindingState state) = 0;
  // Deleting a binding that does not exist succeeds.
  virtual boost::asio::awaitable<Status> delete_binding(std::string instance_id,
                                                        std::string binding_id) = 0;
  // The bindings of one instance, or with `instance_id` empty those of every instance in
  // `state` (Creating ones left by a crash).
  virtual boost::asio::awaitable<Result<std::vector<Binding>>> list_bindings(
      std::string instance_id, std::optional<BindingState> state) = 0;
};

}  // namespace cupola::pg_broker
