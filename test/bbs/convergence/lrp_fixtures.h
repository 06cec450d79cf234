#pragma once

// Builders for converge_lrps inputs, and an in-memory table that applies a result the way
// the store would (compare-and-set, deletions, changes, creations, retirements), failing the
// test when an effect misses its row or two effects name the same row.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "bbs/src/convergence/lrp_convergence.h"

namespace cupola::bbs::testing {

inline constexpr std::int64_t kT0 = 1'700'000'000'000'000'000;  // ns since the epoch
inline constexpr std::int64_t kSecond = 1'000'000'000;
inline constexpr std::int64_t kMinute = 60 * kSecond;

inline DesiredLrp desired(std::string guid, std::int32_t instances,
                          std::string domain = "cf-apps") {
  DesiredLrp d;
  d.process_guid = std::move(guid);
  d.domain = std::move(domain);
  d.instances = instances;
  d.memory_mb = 256;
  d.disk_mb = 1024;
  d.max_pids = 100;
  d.root_fs = "preloaded:cupolafs";
  d.placement_tags = {"blue"};
  d.action = R"({"run":{"path":"/bin/app"}})";
  return d;
}

// A valid row: CLAIMED/RUNNING rows get an instance on `cell`, CRASHED/UNCLAIMED none.
inline ActualLrp actual(std::string guid, std::int32_t index, ActualLrpState state,
                        std::string cell = "", Presence presence = Presence::Ordinary,
                        std::int64_t since = kT0, std::string domain = "cf-apps") {
  ActualLrp a;
  a.key = {guid, index, std::move(domain)};
  a.state = state;
  a.presence = presence;
  a.since = since;
  a.modification_tag = {
      "epoch-" + guid + "-" + std::to_string(index) + "-" + std::string(to_string(presence)), 4};
  if (state == ActualLrpState::Claimed || state == ActualLrpState::Running) {
    a.instance_key = {"ig-" + cell + "-" + guid + "-" + std::to_string(index), cell};
  }
  if (state == ActualLrpState::Running) {
    a.net_info = {"10.0.0.1", {{8080, 61000}}, "10.255.0.2"};
    a.routable = true;
    a.availability_zone = "z1";
  }
  return a;
}

inline ActualLrp crashed(std::string guid, std::int32_t index, std::int32_t crash_count,
                         std::int64_t since) {
  ActualLrp a =
      actual(std::move(guid), index, ActualLrpState::Crashed, "", Presence::Ordinary, since);
  a.crash_count = crash_count;
  a.crash_reason = "exited with status 1";
  return a;
}

// Cells "cell-a" and "cell-b" live, domain "cf-apps" fresh.
inline LrpConvergenceInput input_at(std::int64_t now) {
  LrpConvergenceInput in;
  in.live_cells = {"cell-a", "cell-b"};
  in.fresh_domains = {"cf-apps"};
  in.now = now;
  return in;
}

inline const ActualLrp* find_row(const std::vector<ActualLrp>& rows, const std::string& guid,
                                 std::int32_t index, Presence presence) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const ActualLrp& a) {
    return a.key.process_guid == guid && a.key.index == index && a.presence == presence;
  });
  return it == rows.end() ? nullptr : &*it;
}

// The table after applying `r` to `rows`, in the documented order. A retirement removes the
// ordinary row (its rep stops the container and removes it).
inline std::vector<ActualLrp> apply_effects(std::vector<ActualLrp> rows,
                                            const LrpConvergenceResult& r) {
  std::set<std::tuple<std::string, std::int32_t, Presence>> touched;
  auto locate = [&](const ActualLrpKey& key, Presence presence, const ModificationTag* tag) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](const ActualLrp& a) {
      return a.key.process_guid == key.process_guid && a.key.index == key.index &&
             a.presence == presence;
    });
    INFO("row " << key.process_guid << "/" << key.index << "/" << to_string(presence));
    REQUIRE(it != rows.end());
    if (tag) REQUIRE(it->modification_tag == *tag);
    REQUIRE(touched.emplace(key.process_guid, key.index, presence).second);  // one effect
    return it;
  };
  for (const auto& d : r.deletions) {
    rows.erase(locate(d.row.key, d.row.presence, &d.row.modification_tag));
  }
  for (const auto& c : r.changes) {
    auto it = locate(c.before.key, c.before.presence, &c.before.modification_tag);
    REQUIRE(*it == c.before);
    *it = c.after;
  }
  int epoch = 0;
  for (const auto& created : r.creations) {
    REQUIRE(find_row(rows, created.key.process_guid, created.key.index, Presence::Ordinary) ==
            nullptr);
    REQUIRE(created.modification_tag.epoch.empty());
    ActualLrp row = created;
    row.modification_tag.epoch = "new-epoch-" + std::to_string(epoch++);
    rows.push_back(std::move(row));
  }
  for (const auto& retired : r.retirements) {
    rows.erase(locate(retired.key, Presence::Ordinary, nullptr));
  }
  for (const auto& row : rows) {  // the store would refuse two rows in one slot
    REQUIRE(std::count_if(rows.begin(), rows.end(), [&](const ActualLrp& o) {
              return o.key.process_guid == row.key.process_guid && o.key.index == row.key.index &&
                     o.presence == row.presence;
            }) == 1);
  }
  return rows;
}

inline bool effects_empty(const LrpConvergenceResult& r) {
  return r.deletions.empty() && r.changes.empty() && r.creations.empty() && r.retirements.empty() &&
         r.start_requests.empty();
}

inline LrpStartRequest start_request(const DesiredLrp& d, std::int32_t index) {
  return {d.process_guid, d.domain,   index,     d.memory_mb,
          d.disk_mb,      d.max_pids, d.root_fs, d.placement_tags};
}

}  // namespace cupola::bbs::testing
