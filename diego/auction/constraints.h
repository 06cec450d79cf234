#pragma once

// Whether a cell can run a piece of work at all, whatever its free resources: the root
// filesystem, the volume drivers and the placement tags. Checked in that order, as Diego does.

#include <string>
#include <string_view>
#include <vector>

#include "diego/auction/types.h"

namespace cupola::auction {

// A root_fs URL split as the matching needs it: "preloaded:cflinuxfs4" has scheme
// "preloaded" and opaque "cflinuxfs4"; "preloaded+layer:cflinuxfs4?layer=x" has opaque
// "cflinuxfs4"; "docker:///busybox" has scheme "docker" and an empty opaque (a path, not an
// opaque part). No ':' means no scheme.
struct RootFsUrl {
  std::string_view scheme;
  std::string_view opaque;
};
RootFsUrl parse_root_fs(std::string_view root_fs);

// "preloaded" and "preloaded+layer" URLs match when the opaque part is one of `stacks`; any
// other scheme matches when it is one of `image_schemes`. An empty or scheme-less root_fs
// matches no cell.
bool match_root_fs(const CellState& cell, std::string_view root_fs);

// True when every requested driver is among the cell's drivers.
bool match_volume_drivers(const CellState& cell, const std::vector<std::string>& drivers);

// Exact tag matching: every tag the cell requires is requested, and every requested tag is
// either required or optional on the cell. Duplicates count once.
bool match_placement_tags(const CellState& cell, const std::vector<std::string>& tags);

// The first check a cell fails, in Diego's order.
enum class Mismatch { None, RootFs, VolumeDrivers, PlacementTags };
Mismatch check_constraint(const CellState& cell, const PlacementConstraint& constraint);

// The placement error for work that no cell accepts when the check that failed on the
// cells that got furthest is `furthest` (not None).
std::string mismatch_reason(Mismatch furthest, const PlacementConstraint& constraint);

}  // namespace cupola::auction
