#pragma once

// The placement errors of an auction, worded as Cloud Foundry words them: these strings reach
// users through `cf app` and the BBS's placement_error, so they must not change.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::auction {

inline constexpr std::string_view kNoCells = "unable to communicate to compatible cells";
inline constexpr std::string_view kRootFsMismatch = "found no compatible cell for required rootfs";
inline constexpr std::string_view kVolumeDriverMismatch =
    "found no compatible cell with required volume drivers";
inline constexpr std::string_view kInflightLimit =
    "waiting to start instance: reached in-flight start limit";

// Resources a cell lacks for a piece of work, as a bit set.
enum ResourceProblem : std::uint8_t {
  kNoProblem = 0,
  kDisk = 1,
  kMemory = 2,
  kContainers = 4,
  kAllProblems = kDisk | kMemory | kContainers,
};

// "insufficient resources: <names>", the names of `problems` sorted and joined by ", "
// ("containers", "disk", "memory"); "insufficient resources" when `problems` is empty.
std::string insufficient_resources(std::uint8_t problems);

// "found no compatible cell with no placement tags" for no tags,
// `found no compatible cell with placement tag "a"` for one, and
// `found no compatible cell with placement tags "a", "b" and "c"` for more, in request order.
std::string placement_tag_mismatch(const std::vector<std::string>& tags);

}  // namespace cupola::auction
