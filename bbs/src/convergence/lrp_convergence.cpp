#include "bbs/src/convergence/lrp_convergence.h"

#include <algorithm>
#include <set>
#include <span>

#include "bbs/src/convergence/guid_order.h"
#include "bbs/src/convergence/restart_policy.h"

namespace cupola::bbs {

// Names for logs, indexed by the enum's value.
std::string_view to_string(LrpChangeReason r) {
  static constexpr std::string_view kNames[] = {"suspected", "unclaimed-on-missing-cell",
                                                "promoted", "restarted-after-crash"};
  return kNames[static_cast<int>(r)];
}

std::string_view to_string(LrpDeleteReason r) {
  static constexpr std::string_view kNames[] = {"evacuating-cell-gone", "orphaned-suspect",
                                                "replacement-running", "superseded-by-promotion"};
  return kNames[static_cast<int>(r)];
}

std::string_view to_string(LrpRetireReason r) {
  static constexpr std::string_view kNames[] = {"extra-index", "orphaned"};
  return kNames[static_cast<int>(r)];
}

namespace {

using S = ActualLrpState;
using detail::GuidKey;
using detail::Sorted;
using detail::sorted;

// The rows of one (process_guid, index).
struct Slot {
  std::int32_t index = 0;
  const ActualLrp* ordinary = nullptr;
  const ActualLrp* suspect = nullptr;
  const ActualLrp* evacuating = nullptr;
};

class Pass {
 public:
  explicit Pass(const LrpConvergenceInput& in) : in_(in) {}

  // `rows` are this process guid's rows, sorted by index then presence.
  void converge_process(const DesiredLrp* d, std::span<const Sorted<ActualLrp>> rows) {
    std::int64_t next_missing = 0;
    const std::int64_t instances = d ? std::max(d->instances, 0) : 0;
    bool crashing = false;
    for (std::size_t i = 0; i < rows.size();) {
      Slot slot{.index = rows[i].item->key.index};
      for (; i < rows.size() && rows[i].item->key.index == slot.index; ++i) {
        const ActualLrp*& place = rows[i].item->presence == Presence::Ordinary  ? slot.ordinary
                                  : rows[i].item->presence == Presence::Suspect ? slot.suspect
                                                                                : slot.evacuating;
        if (!place) place = rows[i].item;  // duplicates are ignored after the first
      }
      for (; next_missing < std::min<std::int64_t>(slot.index, instances); ++next_missing) {
        create_and_auction(*d, static_cast<std::int32_t>(next_missing));
      }
      next_missing = std::max<std::int64_t>(next_missing, std::int64_t{slot.index} + 1);
      count(d, slot, instances);
      crashing |= slot.ordinary && slot.ordinary->state == S::Crashed;
      converge_slot(d, slot, slot.index >= 0 && slot.index < instances);
    }
    for (; next_missing < instances; ++next_missing) {
      create_and_auction(*d, static_cast<std::int32_t>(next_missing));
    }
    if (d) {
      r_.counters.desired_instances += instances;
      if (crashing) ++r_.counters.crashing_desired;
    }
  }

  LrpConvergenceResult finish() {
    r_.missing_cells.assign(missing_cells_.begin(), missing_cells_.end());
    r_.counters.live_cells = static_cast<std::int64_t>(in_.live_cells.size());
    r_.counters.fresh_domains = static_cast<std::int64_t>(in_.fresh_domains.size());
    return std::move(r_);
  }

 private:
  bool live(const ActualLrp& row) const {
    return in_.live_cells.contains(row.instance_key.cell_id);
  }

  void converge_slot(const DesiredLrp* d, const Slot& s, bool wanted) {
    if (s.evacuating && !live(*s.evacuating)) {
      del(*s.evacuating, LrpDeleteReason::EvacuatingCellGone);
    }
    if (!wanted && in_.fresh_domains.contains(domain_of(d, s))) {
      if (s.ordinary) {
        r_.retirements.push_back(
            {s.ordinary->key, d ? LrpRetireReason::ExtraIndex : LrpRetireReason::Orphaned});
      }
      if (s.suspect) del(*s.suspect, LrpDeleteReason::OrphanedSuspect);
      return;
    }
    const ActualLrp* suspect = s.suspect;
    if (suspect) {
      if (s.ordinary && s.ordinary->state == S::Running && live(*s.ordinary)) {
        del(*suspect, LrpDeleteReason::ReplacementRunning);
        suspect = nullptr;
      } else if (live(*suspect)) {
        if (s.ordinary) del(*s.ordinary, LrpDeleteReason::SupersededByPromotion);
        ActualLrp after = *suspect;
        after.presence = Presence::Ordinary;
        change(*suspect, std::move(after), LrpChangeReason::Promoted);
        return;
      }
    }
    if (!wanted) return;
    const ActualLrp* o = s.ordinary;
    if (!o) {
      create_and_auction(*d, s.index);
      return;
    }
    switch (o->state) {
      case S::Claimed:
      case S::Running:
        if (live(*o)) return;
        if (suspect) {
          change(*o, unclaimed(*o), LrpChangeReason::UnclaimedOnMissingCell);
        } else {
          ActualLrp after = *o;
          after.presence = Presence::Suspect;
          change(*o, std::move(after), LrpChangeReason::Suspected);
          create_and_auction(*d, s.index);
        }
        return;
      case S::Unclaimed:
        if (o->since < in_.now - kStaleUnclaimedActualLrpDuration.count()) {
          ++r_.counters.stale_unclaimed;
          auction(*d, s.index);
        }
        return;
      case S::Crashed:
        if (should_restart(in_.now, o->since, o->crash_count)) {
          ++r_.counters.restarted_crashed;
          change(*o, unclaimed(*o), LrpChangeReason::RestartedAfterCrash);
          auction(*d, s.index);
        }
        return;
    }
  }

  // The desired LRP's domain; without one, that of any of the slot's rows.
  static const std::string& domain_of(const DesiredLrp* d, const Slot& s) {
    if (d) return d->domain;
    if (s.ordinary) return s.ordinary->key.domain;
    return (s.suspect ? s.suspect : s.evacuating)->key.domain;
  }

  void count(const DesiredLrp* d, const Slot& s, std::int64_t instances) {
    auto& c = r_.counters;
    for (const ActualLrp* row : {s.ordinary, s.suspect, s.evacuating}) {
      if (row && (row->state == S::Claimed || row->state == S::Running) && !live(*row)) {
        missing_cells_.insert(row->instance_key.cell_id);
      }
    }
    if (s.ordinary) {
      std::int64_t* by_state[] = {&c.unclaimed, &c.claimed, &c.running, &c.crashed};
      ++*by_state[static_cast<int>(s.ordinary->state)];
      if (d && s.index >= instances) ++c.extra_instances;
    }
    if (s.suspect && s.suspect->state == S::Running) ++c.suspect_running;
    if (s.suspect && s.suspect->state == S::Claimed) ++c.suspect_claimed;
    if (s.evacuating) ++c.evacuating;
  }

  // The row back to UNCLAIMED: no cell, no address, a new version; crash history kept.
  ActualLrp unclaimed(const ActualLrp& row) const {
    ActualLrp after = row;
    after.state = S::Unclaimed;
    after.instance_key = {};
    after.net_info = {};
    after.routable = false;
    after.availability_zone.clear();
    after.placement_error.clear();
    after.since = in_.now;
    after.modification_tag = row.modification_tag.incremented();
    return after;
  }

  void create_and_auction(const DesiredLrp& d, std::int32_t index) {
    ActualLrp row;
    row.key = {d.process_guid, index, d.domain};
    row.state = S::Unclaimed;
    row.presence = Presence::Ordinary;
    row.since = in_.now;
    r_.creations.push_back(std::move(row));
    ++r_.counters.missing_instances;
    auction(d, index);
  }

  void auction(const DesiredLrp& d, std::int32_t index) {
    r_.start_requests.push_back({d.process_guid, d.domain, index, d.memory_mb, d.disk_mb,
                                 d.max_pids, d.root_fs, d.placement_tags});
  }

  void change(const ActualLrp& before, ActualLrp after, LrpChangeReason why) {
    r_.changes.push_back({before, std::move(after), why});
  }
  void del(const ActualLrp& row, LrpDeleteReason why) { r_.deletions.push_back({row, why}); }

  const LrpConvergenceInput& in_;
  LrpConvergenceResult r_;
  std::set<std::string> missing_cells_;
};

}  // namespace

LrpConvergenceResult converge_lrps(const LrpConvergenceInput& input) {
  const auto rows = sorted(
      input.actual, [](const ActualLrp& a) -> std::string_view { return a.key.process_guid; },
      [](const ActualLrp& a) {
        return std::int64_t{a.key.index} * 4 + static_cast<std::int64_t>(a.presence);
      });
  const auto desired = sorted(
      input.desired, [](const DesiredLrp& d) -> std::string_view { return d.process_guid; },
      [](const DesiredLrp&) { return std::int64_t{0}; });

  // Merge the two sorted lists by process_guid.
  Pass pass(input);
  std::size_t di = 0;
  std::size_t ai = 0;
  while (di < desired.size() || ai < rows.size()) {
    const GuidKey* guid = nullptr;
    if (di < desired.size()) guid = &desired[di].key;
    if (ai < rows.size() && (!guid || rows[ai].key.compare(*guid) < 0)) guid = &rows[ai].key;
    const DesiredLrp* d = nullptr;
    if (di < desired.size() && desired[di].key.compare(*guid) == 0) d = desired[di].item;
    while (di < desired.size() && desired[di].key.compare(*guid) == 0) ++di;  // duplicates
    std::size_t end = ai;
    while (end < rows.size() && rows[end].key.compare(*guid) == 0) ++end;
    pass.converge_process(d, std::span(rows).subspan(ai, end - ai));
    ai = end;
  }
  return pass.finish();
}

}  // namespace cupola::bbs
