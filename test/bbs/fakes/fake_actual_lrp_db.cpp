#include "test/bbs/fakes/fake_actual_lrp_db.h"

#include <cassert>
#include <limits>

#include "bbs/api/models/errors.h"

namespace cupola::bbs::fakes {
namespace asio = boost::asio;

namespace {

bool matches(const ActualLrpFilter& f, const ActualLrp& lrp) {
  if (f.domain && lrp.key.domain != *f.domain) return false;
  if (f.cell_id && lrp.instance_key.cell_id != *f.cell_id) return false;
  if (f.process_guid && lrp.key.process_guid != *f.process_guid) return false;
  if (f.index && lrp.key.index != *f.index) return false;
  return true;
}

std::string describe(const ActualLrp& lrp) {
  return "actual LRP " + lrp.key.process_guid + " index " + std::to_string(lrp.key.index) + " (" +
         std::string(to_string(lrp.presence)) + ")";
}

Error conflict(const ActualLrp& lrp) {
  return bbs_error(ErrorType::ResourceConflict, describe(lrp) + " changed or is gone");
}

Error exists(const ActualLrp& lrp) {
  return bbs_error(ErrorType::ResourceExists, describe(lrp) + " already exists");
}

[[maybe_unused]] bool confined(const ActualLrpChanges& c, const std::string& guid,
                               std::int32_t index) {
  auto in = [&](const ActualLrp& lrp) {
    return lrp.key.process_guid == guid && lrp.key.index == index;
  };
  for (const auto& lrp : c.created) {
    if (!in(lrp)) return false;
  }
  for (const auto& [before, after] : c.changed) {
    if (!in(before) || !in(after)) return false;
  }
  for (const auto& lrp : c.removed) {
    if (!in(lrp)) return false;
  }
  return true;
}

// The rows of one (process_guid, index) by presence: what mutate() works on before it
// puts them back, so that a failed decision leaves the store as it was.
using Slot = std::map<Presence, ActualLrp>;

Status apply_changes(Slot& slot, const ActualLrpChanges& c) {
  auto same_version = [&](const ActualLrp& lrp) {
    auto it = slot.find(lrp.presence);
    return it != slot.end() && it->second.modification_tag == lrp.modification_tag;
  };
  for (const auto& lrp : c.removed) {
    if (!same_version(lrp)) return conflict(lrp);
    slot.erase(lrp.presence);
  }
  for (const auto& [before, after] : c.changed) {
    if (!same_version(before)) return conflict(before);
    slot.erase(before.presence);
    if (slot.contains(after.presence)) return exists(after);
    slot.emplace(after.presence, after);
  }
  for (const auto& lrp : c.created) {
    if (slot.contains(lrp.presence)) return exists(lrp);
    slot.emplace(lrp.presence, lrp);
  }
  return {};
}

}  // namespace

FakeActualLrpDb::Key FakeActualLrpDb::key_of(const ActualLrp& lrp) {
  return {lrp.key.process_guid, lrp.key.index, static_cast<int>(lrp.presence)};
}

asio::awaitable<Result<std::vector<ActualLrp>>> FakeActualLrpDb::list(ActualLrpFilter filter) {
  list_calls.push_back(filter);
  if (auto e = enter("list")) co_return std::move(*e);
  std::vector<ActualLrp> out;
  for (const auto& [key, lrp] : rows_) {
    if (matches(filter, lrp)) out.push_back(lrp);
  }
  co_return out;
}

asio::awaitable<Result<ActualLrpChanges>> FakeActualLrpDb::mutate(std::string process_guid,
                                                                  std::int32_t index,
                                                                  ActualLrpDecision decide) {
  mutate_calls.push_back({process_guid, index});
  if (auto e = enter("mutate")) co_return std::move(*e);
  auto first = rows_.lower_bound(Key{process_guid, index, 0});
  auto last = rows_.upper_bound(Key{process_guid, index, std::numeric_limits<int>::max()});
  Slot slot;
  std::vector<ActualLrp> current;
  for (auto it = first; it != last; ++it) {
    slot.emplace(it->second.presence, it->second);
    current.push_back(it->second);
  }
  auto decision = decide(current);
  if (!decision) co_return std::move(decision).error();
  assert(confined(*decision, process_guid, index));
  if (auto s = apply_changes(slot, *decision); !s) co_return std::move(s).error();
  rows_.erase(first, last);
  for (auto& [presence, lrp] : slot) rows_.emplace(key_of(lrp), std::move(lrp));
  co_return std::move(decision).value();
}

void FakeActualLrpDb::put(ActualLrp lrp) { rows_[key_of(lrp)] = std::move(lrp); }

std::vector<ActualLrp> FakeActualLrpDb::rows() const {
  std::vector<ActualLrp> out;
  for (const auto& [key, lrp] : rows_) out.push_back(lrp);
  return out;
}

Status FakeActualLrpDb::insert_all(const std::vector<ActualLrp>& lrps) {
  std::map<Key, const ActualLrp*> adding;
  for (const auto& lrp : lrps) {
    if (rows_.contains(key_of(lrp)) || !adding.emplace(key_of(lrp), &lrp).second) {
      return exists(lrp);
    }
  }
  for (const auto& [key, lrp] : adding) rows_.emplace(key, *lrp);
  return {};
}

}  // namespace cupola::bbs::fakes
