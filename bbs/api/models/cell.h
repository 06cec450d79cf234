#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cupola::bbs {

struct CellCapacity {
  std::int32_t memory_mb = 0;
  std::int32_t disk_mb = 0;
  std::int32_t containers = 0;
  bool operator==(const CellCapacity&) const = default;
};

// A live cell, as its rep last announced it. Expires unless heartbeated within its TTL.
struct CellPresence {
  std::string cell_id;
  std::string rep_address;  // where the BBS reaches the rep ("nats" when only over NATS)
  std::string rep_url;
  std::string zone;
  CellCapacity capacity;
  std::vector<std::string> stacks;  // root filesystems it can run, e.g. "cupolafs"
  std::vector<std::string> placement_tags;
  std::vector<std::string> optional_placement_tags;

  bool operator==(const CellPresence&) const = default;
};

inline constexpr std::uint32_t kDefaultCellTtlSeconds = 15;

// A named lock as held: its key, the holder's id and the value the holder published with it
// (the auctioneer's URL, say; "" when none).
struct LockRecord {
  std::string key;
  std::string owner;
  std::string value;

  bool operator==(const LockRecord&) const = default;
};

std::vector<std::string> validate(const CellPresence& cell);

}  // namespace cupola::bbs
