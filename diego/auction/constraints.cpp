#include "diego/auction/constraints.h"

#include <algorithm>

#include "diego/auction/reasons.h"

namespace cupola::auction {
namespace {

bool contains(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

}  // namespace

RootFsUrl parse_root_fs(std::string_view root_fs) {
  const auto colon = root_fs.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  RootFsUrl url{root_fs.substr(0, colon), root_fs.substr(colon + 1)};
  // A URL with an authority or a path ("scheme://host/..." or "scheme:/path") has no opaque
  // part, so it can never name a stack.
  if (url.opaque.starts_with('/')) {
    url.opaque = {};
    return url;
  }
  url.opaque = url.opaque.substr(0, url.opaque.find_first_of("?#"));
  return url;
}

bool match_root_fs(const CellState& cell, std::string_view root_fs) {
  const RootFsUrl url = parse_root_fs(root_fs);
  if (url.scheme.empty()) return false;
  if (url.scheme == "preloaded" || url.scheme == "preloaded+layer") {
    return !url.opaque.empty() && contains(cell.stacks, url.opaque);
  }
  return contains(cell.image_schemes, url.scheme);
}

bool match_volume_drivers(const CellState& cell, const std::vector<std::string>& drivers) {
  return std::all_of(drivers.begin(), drivers.end(),
                     [&](const std::string& d) { return contains(cell.volume_drivers, d); });
}

bool match_placement_tags(const CellState& cell, const std::vector<std::string>& tags) {
  for (const auto& required : cell.placement_tags) {
    if (!contains(tags, required)) return false;
  }
  for (const auto& tag : tags) {
    if (!contains(cell.placement_tags, tag) && !contains(cell.optional_placement_tags, tag)) {
      return false;
    }
  }
  return true;
}

Mismatch check_constraint(const CellState& cell, const PlacementConstraint& constraint) {
  if (!match_root_fs(cell, constraint.root_fs)) return Mismatch::RootFs;
  if (!match_volume_drivers(cell, constraint.volume_drivers)) return Mismatch::VolumeDrivers;
  if (!match_placement_tags(cell, constraint.placement_tags)) return Mismatch::PlacementTags;
  return Mismatch::None;
}

std::string mismatch_reason(Mismatch furthest, const PlacementConstraint& constraint) {
  switch (furthest) {
    case Mismatch::RootFs:
      return std::string{kRootFsMismatch};
    case Mismatch::VolumeDrivers:
      return std::string{kVolumeDriverMismatch};
    case Mismatch::PlacementTags:
      return placement_tag_mismatch(constraint.placement_tags);
    case Mismatch::None:
      break;
  }
  return {};
}

}  // namespace cupola::auction
