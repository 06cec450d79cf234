#pragma once

#include <cstdint>
#include <string>

namespace cupola::bbs {

// Versions a record: `epoch` is a fresh GUID each time the record is created, `index`
// counts its changes since. Updates are compare-and-set on the whole tag.
struct ModificationTag {
  std::string epoch;
  std::uint32_t index = 0;

  ModificationTag incremented() const { return {epoch, index + 1}; }
  // True when `next` is a later version of the same record, or of a newer record.
  bool succeeded_by(const ModificationTag& next) const {
    return epoch.empty() || next.epoch.empty() || epoch != next.epoch || index < next.index;
  }
  bool operator==(const ModificationTag&) const = default;
};

}  // namespace cupola::bbs
