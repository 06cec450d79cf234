#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/actual_lrp.h"
#include "common/core/result.h"

namespace cupola::bbs {

// What one write did to actual LRP rows; callers turn it into events.
struct ActualLrpChanges {
  std::vector<ActualLrp> created;
  std::vector<std::pair<ActualLrp, ActualLrp>> changed;  // {before, after}
  std::vector<ActualLrp> removed;

  bool empty() const { return created.empty() && changed.empty() && removed.empty(); }
  void append(ActualLrpChanges other) {
    for (auto& c : other.created) created.push_back(std::move(c));
    for (auto& c : other.changed) changed.push_back(std::move(c));
    for (auto& r : other.removed) removed.push_back(std::move(r));
  }
};

struct ActualLrpFilter {
  std::optional<std::string> domain;
  std::optional<std::string> cell_id;
  std::optional<std::string> process_guid;
  std::optional<std::int32_t> index;
};

// Decides, from every row of one (process_guid, index) as they are under lock, what to
// write. Rows in `changed` are matched by their before-record's presence and modification
// tag; `created` rows must carry their final modification tag.
using ActualLrpDecision =
    std::function<Result<ActualLrpChanges>(const std::vector<ActualLrp>& rows)>;

// Actual LRP rows, one per (process_guid, index, presence). All calls run on the BBS's
// executor.
class ActualLrpDb {
 public:
  virtual ~ActualLrpDb() = default;

  virtual boost::asio::awaitable<Result<std::vector<ActualLrp>>> list(ActualLrpFilter filter) = 0;

  // In one transaction: locks the rows of (process_guid, index), runs `decide` on them and
  // writes its answer — deletions first, then changes (compare-and-set on presence and
  // tag), then insertions. An error from `decide` writes nothing and is returned as is; a
  // row changed under us is ResourceConflict; an insert over an existing row is
  // ResourceExists. Returns what was written.
  virtual boost::asio::awaitable<Result<ActualLrpChanges>> mutate(std::string process_guid,
                                                                  std::int32_t index,
                                                                  ActualLrpDecision decide) = 0;
};

}  // namespace cupola::bbs
