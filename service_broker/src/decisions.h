#pragma once

#include <optional>
#include <string>

#include "service_broker/src/model.h"
#include "service_broker/src/requests.h"

namespace cupola::pg_broker {

// The OSB rules for repeated and concurrent requests, as pure functions of what the store
// holds and what was asked. The broker does what they return.

enum class Verdict {
  Start,       // begin the operation (a provision of a failed instance starts again)
  Done,        // nothing to do: the request already holds (200)
  InProgress,  // the same operation is under way (202 with its operation)
  Conflict,    // exists with different attributes (409)
  Busy,        // another operation is under way (422 ConcurrencyError)
  NotUsable,   // the instance failed and must be deleted first (422)
  NotFound,    // 404
  Gone,        // 410
  BadRequest,  // 400
};

struct Decision {
  Verdict verdict;
  std::string reason;  // for people, when the verdict refuses
};

// `existing` is the stored instance, if any; a Deleted tombstone counts as none.
Decision decide_provision(const std::optional<Instance>& existing,
                          const InstanceAttributes& requested);

// `in_progress` is the instance's running update, when it is Updating: a repeated request
// for the same change is InProgress, a different one Busy.
Decision decide_update(const std::optional<Instance>& existing, const UpdateRequest& requested,
                       const std::optional<Operation>& in_progress);

// What an update changes the instance to: the requested plan and parameters, or the current
// ones where the request leaves them out.
InstanceAttributes updated_attributes(const Instance& instance, const UpdateRequest& requested);

Decision decide_deprovision(const std::optional<Instance>& existing);

Decision decide_bind(const std::optional<Instance>& instance, const std::optional<Binding>& binding,
                     const BindingAttributes& requested);

Decision decide_unbind(const std::optional<Instance>& instance,
                       const std::optional<Binding>& binding);

// Which operation last_operation reports. `requested` is the `operation` query parameter;
// `found` is the instance's latest operation of that kind (or of any kind, without one).
// Start means: report `found`.
Decision decide_last_operation(const std::optional<Instance>& instance,
                               const std::optional<std::string>& requested,
                               const std::optional<Operation>& found);

// GET of an instance: Start to answer with it.
Decision decide_fetch_instance(const std::optional<Instance>& instance);

// GET of a binding: Start to answer with it.
Decision decide_fetch_binding(const std::optional<Instance>& instance,
                              const std::optional<Binding>& binding);

}  // namespace cupola::pg_broker
