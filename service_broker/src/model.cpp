#include "service_broker/src/model.h"

#include <array>
#include <utility>

#include "common/json/json.h"

namespace cupola::pg_broker {
namespace {

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [value, name] : names) {
    if (value == e) return name;
  }
  return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& names,
                          std::string_view s) {
  for (const auto& [value, name] : names) {
    if (name == s) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<InstanceState, std::string_view>, 7> kInstanceStates{{
    {InstanceState::Provisioning, "provisioning"},
    {InstanceState::ProvisionFailed, "provision_failed"},
    {InstanceState::Ready, "ready"},
    {InstanceState::Updating, "updating"},
    {InstanceState::Deprovisioning, "deprovisioning"},
    {InstanceState::DeprovisionFailed, "deprovision_failed"},
    {InstanceState::Deleted, "deleted"},
}};

constexpr std::array<std::pair<OperationKind, std::string_view>, 3> kKinds{{
    {OperationKind::Provision, "provision"},
    {OperationKind::Update, "update"},
    {OperationKind::Deprovision, "deprovision"},
}};

constexpr std::array<std::pair<OperationState, std::string_view>, 3> kOperationStates{{
    {OperationState::InProgress, "in progress"},
    {OperationState::Succeeded, "succeeded"},
    {OperationState::Failed, "failed"},
}};

constexpr std::array<std::pair<BindingState, std::string_view>, 2> kBindingStates{{
    {BindingState::Creating, "creating"},
    {BindingState::Ready, "ready"},
}};

}  // namespace

std::string_view to_string(InstanceState s) { return name_of(kInstanceStates, s); }
std::optional<InstanceState> parse_instance_state(std::string_view s) {
  return value_of(kInstanceStates, s);
}
std::string_view to_string(OperationKind k) { return name_of(kKinds, k); }
std::optional<OperationKind> parse_operation_kind(std::string_view s) {
  return value_of(kKinds, s);
}
std::string_view to_string(OperationState s) { return name_of(kOperationStates, s); }
std::optional<OperationState> parse_operation_state(std::string_view s) {
  return value_of(kOperationStates, s);
}
std::string_view to_string(BindingState s) { return name_of(kBindingStates, s); }
std::optional<BindingState> parse_binding_state(std::string_view s) {
  return value_of(kBindingStates, s);
}

bool same_json(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto da = json::parse(a);
  auto db = json::parse(b);
  if (!da || !db) return false;
  // RapidJSON compares objects member by member, whatever their order.
  return static_cast<const json::Value&>(*da) == static_cast<const json::Value&>(*db);
}

bool operator==(const InstanceAttributes& a, const InstanceAttributes& b) {
  return a.service_id == b.service_id && a.plan_id == b.plan_id &&
         a.organization_guid == b.organization_guid && a.space_guid == b.space_guid &&
         same_json(a.parameters, b.parameters);
}

bool operator==(const BindingAttributes& a, const BindingAttributes& b) {
  return a.service_id == b.service_id && a.plan_id == b.plan_id && a.app_guid == b.app_guid &&
         same_json(a.parameters, b.parameters);
}

}  // namespace cupola::pg_broker
