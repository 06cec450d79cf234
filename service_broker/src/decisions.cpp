#include "service_broker/src/decisions.h"

namespace cupola::pg_broker {
namespace {

bool absent(const std::optional<Instance>& i) { return !i || i->state == InstanceState::Deleted; }

Decision busy(std::string why) { return {Verdict::Busy, std::move(why)}; }

}  // namespace

Decision decide_provision(const std::optional<Instance>& existing,
                          const InstanceAttributes& requested) {
  if (absent(existing)) return {Verdict::Start, {}};
  if (!(existing->attributes == requested)) {
    return {Verdict::Conflict,
            "a service instance with this id already exists with different attributes"};
  }
  switch (existing->state) {
    case InstanceState::Provisioning:
      return {Verdict::InProgress, {}};
    case InstanceState::ProvisionFailed:
      return {Verdict::Start, {}};
    case InstanceState::Ready:
    case InstanceState::Updating:
      return {Verdict::Done, {}};
    case InstanceState::Deprovisioning:
    case InstanceState::DeprovisionFailed:
    case InstanceState::Deleted:
      break;
  }
  return busy("the service instance is being deleted");
}

Decision decide_update(const std::optional<Instance>& existing, const UpdateRequest& requested,
                       const std::optional<Operation>& in_progress) {
  if (absent(existing)) return {Verdict::NotFound, "the service instance does not exist"};
  if (requested.service_id != existing->attributes.service_id) {
    return {Verdict::BadRequest, "service_id does not match the service instance's"};
  }
  switch (existing->state) {
    case InstanceState::Ready:
      return {Verdict::Start, {}};
    case InstanceState::Updating: {
      auto target = updated_attributes(*existing, requested);
      if (in_progress && in_progress->plan_id == target.plan_id &&
          same_json(in_progress->parameters, target.parameters)) {
        return {Verdict::InProgress, {}};
      }
      return busy("another update of the service instance is in progress");
    }
    case InstanceState::Provisioning:
      return busy("the service instance is being created");
    case InstanceState::ProvisionFailed:
      return {Verdict::NotUsable, "the service instance failed to be created; delete it"};
    case InstanceState::Deprovisioning:
    case InstanceState::DeprovisionFailed:
    case InstanceState::Deleted:
      break;
  }
  return busy("the service instance is being deleted");
}

InstanceAttributes updated_attributes(const Instance& instance, const UpdateRequest& requested) {
  InstanceAttributes a = instance.attributes;
  if (requested.plan_id) a.plan_id = *requested.plan_id;
  if (requested.parameters) a.parameters = *requested.parameters;
  return a;
}

Decision decide_deprovision(const std::optional<Instance>& existing) {
  if (absent(existing)) return {Verdict::Gone, "the service instance does not exist"};
  switch (existing->state) {
    case InstanceState::Deprovisioning:
      return {Verdict::InProgress, {}};
    case InstanceState::Provisioning:
      return busy("the service instance is being created");
    case InstanceState::Updating:
      return busy("the service instance is being updated");
    default:
      return {Verdict::Start, {}};
  }
}

Decision decide_bind(const std::optional<Instance>& instance, const std::optional<Binding>& binding,
                     const BindingAttributes& requested) {
  if (absent(instance)) return {Verdict::NotFound, "the service instance does not exist"};
  switch (instance->state) {
    case InstanceState::Provisioning:
      return busy("the service instance is still being created");
    case InstanceState::Deprovisioning:
      return busy("the service instance is being deleted");
    case InstanceState::ProvisionFailed:
    case InstanceState::DeprovisionFailed:
      return {Verdict::NotUsable, "the service instance failed; delete it"};
    default:
      break;
  }
  if (!binding) return {Verdict::Start, {}};
  if (!(binding->attributes == requested)) {
    return {Verdict::Conflict,
            "a service binding with this id already exists with different "
            "attributes"};
  }
  if (binding->state == BindingState::Creating) {
    return busy("the service binding is being created");
  }
  return {Verdict::Done, {}};
}

Decision decide_unbind(const std::optional<Instance>& instance,
                       const std::optional<Binding>& binding) {
  if (absent(instance) || !binding) {
    return {Verdict::Gone, "the service binding does not exist"};
  }
  return {Verdict::Start, {}};
}

Decision decide_last_operation(const std::optional<Instance>& instance,
                               const std::optional<std::string>& requested,
                               const std::optional<Operation>& found) {
  if (!instance) return {Verdict::NotFound, "the service instance does not exist"};
  std::optional<OperationKind> kind;
  if (requested) {
    kind = parse_operation_kind(*requested);
    if (!kind) return {Verdict::BadRequest, "unknown operation \"" + *requested + "\""};
  }
  if (instance->state == InstanceState::Deleted) {
    // A platform still polling the deprovision it started learns that it succeeded; anything
    // else about an instance that is gone is 410 Gone.
    if (kind == OperationKind::Deprovision && found) return {Verdict::Start, {}};
    return {Verdict::Gone, "the service instance has been deleted"};
  }
  if (!found) {
    return {Verdict::BadRequest,
            "the service instance has no " + requested.value_or("recorded") + " operation"};
  }
  return {Verdict::Start, {}};
}

Decision decide_fetch_instance(const std::optional<Instance>& instance) {
  if (absent(instance)) return {Verdict::NotFound, "the service instance does not exist"};
  switch (instance->state) {
    case InstanceState::Provisioning:
      return {Verdict::NotFound, "the service instance is still being created"};
    case InstanceState::ProvisionFailed:
      return {Verdict::NotFound, "the service instance failed to be created"};
    case InstanceState::Updating:
      return busy("the service instance is being updated");
    default:
      return {Verdict::Start, {}};
  }
}

Decision decide_fetch_binding(const std::optional<Instance>& instance,
                              const std::optional<Binding>& binding) {
  if (absent(instance)) return {Verdict::NotFound, "the service instance does not exist"};
  if (!binding || binding->state != BindingState::Ready) {
    return {Verdict::NotFound, "the service binding does not exist"};
  }
  return {Verdict::Start, {}};
}

}  // namespace cupola::pg_broker
