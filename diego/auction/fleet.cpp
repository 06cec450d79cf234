#include "diego/auction/fleet.h"

#include <algorithm>
#include <tuple>

namespace cupola::auction {
namespace {

// Distinct constraints get distinct keys: the separators cannot occur in URLs or tags that
// pass the BBS's validation, and a collision would only share a cache entry between
// constraints that differ by such characters.
std::string cache_key(const PlacementConstraint& c) {
  std::string key = c.root_fs;
  for (const auto& tag : c.placement_tags) (key += '\x1f') += tag;
  key += '\x1e';
  for (const auto& driver : c.volume_drivers) (key += '\x1f') += driver;
  return key;
}

}  // namespace

Fleet::Fleet(std::vector<CellState> cells, const std::vector<LrpStart>& lrps) {
  std::erase_if(cells, [](const CellState& c) { return c.evacuating; });
  std::sort(cells.begin(), cells.end(), [](const CellState& a, const CellState& b) {
    return std::tie(a.zone, a.cell_id) < std::tie(b.zone, b.cell_id);
  });
  cells_ = std::move(cells);

  loads_.reserve(cells_.size());
  zone_of_.reserve(cells_.size());
  std::int32_t position = 0;
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    if (zone_names_.empty() || zone_names_.back() != cells_[i].zone) {
      zone_names_.push_back(cells_[i].zone);
      position = 0;
    }
    zone_of_.push_back(static_cast<std::int32_t>(zone_names_.size() - 1));
    loads_.push_back(make_cell_load(cells_[i], position++));
  }

  for (const auto& lrp : lrps) {
    if (process_ids_.try_emplace(lrp.process_guid, process_cells_.size()).second) {
      process_cells_.emplace_back();
      process_zones_.emplace_back(zone_names_.size(), 0);
    }
  }
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    for (const auto& running : cells_[c].lrps) {
      const std::int32_t p = process_id(running.process_guid);
      if (p >= 0) add_instance(p, static_cast<std::int32_t>(c));
    }
  }
}

std::int64_t Fleet::starting_containers() const {
  std::int64_t total = 0;
  for (const auto& load : loads_) total += load.starting_containers;
  return total;
}

const Fleet::Eligible& Fleet::eligible(const PlacementConstraint& constraint) {
  auto [it, inserted] = eligible_.try_emplace(cache_key(constraint));
  if (!inserted) return it->second;
  Eligible& e = it->second;
  e.by_zone.resize(zone_names_.size());
  // Diego reports the mismatch of the cells that passed the most checks: a wrong rootfs only
  // when no cell has the rootfs, and so on.
  for (std::size_t c = 0; c < cells_.size(); ++c) {
    const Mismatch m = check_constraint(cells_[c], constraint);
    if (m == Mismatch::None) {
      e.by_zone[zone_of_[c]].push_back(static_cast<std::int32_t>(c));
      e.furthest = Mismatch::None;
    } else if (e.furthest != Mismatch::None && m > e.furthest) {
      e.furthest = m;
    }
  }
  return e;
}

std::int32_t Fleet::process_id(std::string_view process_guid) const {
  const auto it = process_ids_.find(process_guid);
  return it == process_ids_.end() ? -1 : it->second;
}

void Fleet::add_instance(std::int32_t process, std::int32_t cell) {
  auto& cells = process_cells_[process];
  const auto it = std::find_if(cells.begin(), cells.end(),
                               [&](const auto& entry) { return entry.first == cell; });
  if (it == cells.end()) {
    cells.emplace_back(cell, 1);
  } else {
    ++it->second;
  }
  ++process_zones_[process][zone_of_[cell]];
}

}  // namespace cupola::auction
