#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bbs/api/models/modification_tag.h"

namespace cupola::bbs {

enum class ActualLrpState { Unclaimed, Claimed, Running, Crashed };
// Whether a row is the instance (ORDINARY), a copy serving while its cell drains
// (EVACUATING), or one on a cell that stopped heartbeating (SUSPECT).
enum class Presence { Ordinary, Evacuating, Suspect };

std::string_view to_string(ActualLrpState s);  // "UNCLAIMED", "CLAIMED", ...
std::string_view to_string(Presence p);        // "ORDINARY", "EVACUATING", "SUSPECT"
std::optional<ActualLrpState> parse_actual_lrp_state(std::string_view s);
std::optional<Presence> parse_presence(std::string_view s);

struct ActualLrpKey {
  std::string process_guid;
  std::int32_t index = 0;
  std::string domain;
  bool operator==(const ActualLrpKey&) const = default;
};

// Which container on which cell holds the instance. Empty while UNCLAIMED or CRASHED.
struct ActualLrpInstanceKey {
  std::string instance_guid;
  std::string cell_id;
  bool empty() const { return instance_guid.empty() && cell_id.empty(); }
  bool complete() const { return !instance_guid.empty() && !cell_id.empty(); }
  bool operator==(const ActualLrpInstanceKey&) const = default;
};

struct PortMapping {
  std::uint32_t container_port = 0;
  std::uint32_t host_port = 0;
  bool operator==(const PortMapping&) const = default;
};

struct ActualLrpNetInfo {
  std::string address;  // the cell's address, for routing
  std::vector<PortMapping> ports;
  std::string instance_address;
  bool empty() const { return address.empty() && ports.empty() && instance_address.empty(); }
  bool operator==(const ActualLrpNetInfo&) const = default;
};

// One row per (process_guid, index, presence).
struct ActualLrp {
  ActualLrpKey key;
  ActualLrpInstanceKey instance_key;
  ActualLrpNetInfo net_info;
  ActualLrpState state = ActualLrpState::Unclaimed;
  Presence presence = Presence::Ordinary;
  std::int32_t crash_count = 0;
  std::string crash_reason;
  std::string placement_error;
  std::int64_t since = 0;  // ns since the epoch of the last state change
  ModificationTag modification_tag;
  bool routable = false;
  std::string availability_zone;

  bool operator==(const ActualLrp&) const = default;
};

// Diego's transition rules: may a record in `from` go to `to` for a request carrying
// `key` and `instance_key`? A different ActualLrpKey never may.
bool allows_transition(const ActualLrp& from, const ActualLrpKey& key,
                       const ActualLrpInstanceKey& instance_key, ActualLrpState to);

// Problems of a record against its state's invariants ("Invalid field: cell_id"); empty
// when valid.
std::vector<std::string> validate(const ActualLrp& lrp);

// Free-text reasons are stored truncated to this many bytes, ending "(truncated)".
inline constexpr std::size_t kMaxReasonBytes = 1024;
std::string truncate_reason(std::string_view reason);

}  // namespace cupola::bbs
