#include "bbs/api/models/actual_lrp.h"

namespace cupola::bbs {

std::string_view to_string(ActualLrpState s) {
  switch (s) {
    case ActualLrpState::Unclaimed:
      return "UNCLAIMED";
    case ActualLrpState::Claimed:
      return "CLAIMED";
    case ActualLrpState::Running:
      return "RUNNING";
    case ActualLrpState::Crashed:
      return "CRASHED";
  }
  return "UNCLAIMED";
}

std::string_view to_string(Presence p) {
  switch (p) {
    case Presence::Ordinary:
      return "ORDINARY";
    case Presence::Evacuating:
      return "EVACUATING";
    case Presence::Suspect:
      return "SUSPECT";
  }
  return "ORDINARY";
}

std::optional<ActualLrpState> parse_actual_lrp_state(std::string_view s) {
  for (auto st : {ActualLrpState::Unclaimed, ActualLrpState::Claimed, ActualLrpState::Running,
                  ActualLrpState::Crashed}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::optional<Presence> parse_presence(std::string_view s) {
  for (auto p : {Presence::Ordinary, Presence::Evacuating, Presence::Suspect}) {
    if (to_string(p) == s) return p;
  }
  return std::nullopt;
}

bool allows_transition(const ActualLrp& from, const ActualLrpKey& key,
                       const ActualLrpInstanceKey& instance_key, ActualLrpState to) {
  if (!(from.key == key)) return false;
  const bool same_instance = from.instance_key == instance_key;
  using S = ActualLrpState;
  switch (from.state) {
    case S::Unclaimed:
      return to != S::Crashed;
    case S::Claimed:
      if (to == S::Unclaimed) return instance_key.empty();
      if (to == S::Running) return true;
      return same_instance;
    case S::Running:
    case S::Crashed:
      if (to == S::Unclaimed) return instance_key.empty();
      if (from.state == S::Crashed && to == S::Crashed) return false;
      return same_instance;
  }
  return false;
}

std::vector<std::string> validate(const ActualLrp& lrp) {
  std::vector<std::string> problems;
  auto invalid = [&](const char* field) {
    problems.push_back(std::string("Invalid field: ") + field);
  };
  if (lrp.key.process_guid.empty()) invalid("process_guid");
  if (lrp.key.index < 0) invalid("index");
  if (lrp.key.domain.empty()) invalid("domain");
  if (lrp.since == 0) invalid("since");
  switch (lrp.state) {
    case ActualLrpState::Unclaimed:
      if (!lrp.instance_key.empty()) invalid("actual_lrp_instance_key");
      if (!lrp.net_info.empty()) invalid("actual_lrp_net_info");
      break;
    case ActualLrpState::Claimed:
      if (!lrp.instance_key.complete()) invalid("actual_lrp_instance_key");
      if (!lrp.net_info.empty()) invalid("actual_lrp_net_info");
      if (!lrp.placement_error.empty()) invalid("placement_error");
      break;
    case ActualLrpState::Running:
      if (!lrp.instance_key.complete()) invalid("actual_lrp_instance_key");
      if (lrp.net_info.address.empty()) invalid("address");
      if (!lrp.placement_error.empty()) invalid("placement_error");
      break;
    case ActualLrpState::Crashed:
      if (!lrp.instance_key.empty()) invalid("actual_lrp_instance_key");
      if (!lrp.net_info.empty()) invalid("actual_lrp_net_info");
      if (!lrp.placement_error.empty()) invalid("placement_error");
      break;
  }
  return problems;
}

std::string truncate_reason(std::string_view reason) {
  if (reason.size() <= kMaxReasonBytes) return std::string(reason);
  static constexpr std::string_view kMark = "(truncated)";
  return std::string(reason.substr(0, kMaxReasonBytes - kMark.size())) + std::string(kMark);
}

}  // namespace cupola::bbs
