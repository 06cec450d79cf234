#pragma once

#include <map>
#include <tuple>

#include "bbs/src/db/actual_lrp_db.h"
#include "test/bbs/fakes/call_log.h"

namespace cupola::bbs::fakes {

// ActualLrpDb in a map, with the Postgres store's semantics: rows ordered by
// (process_guid, index, presence); mutate() applies deletions, then compare-and-set
// changes, then insertions, all or nothing (ResourceConflict, ResourceExists).
class FakeActualLrpDb final : public ActualLrpDb, public CallLog {
 public:
  struct MutateCall {
    std::string process_guid;
    std::int32_t index = 0;
  };

  // ActualLrpDb
  boost::asio::awaitable<Result<std::vector<ActualLrp>>> list(ActualLrpFilter filter) override;
  boost::asio::awaitable<Result<ActualLrpChanges>> mutate(std::string process_guid,
                                                          std::int32_t index,
                                                          ActualLrpDecision decide) override;

  // Stores a row as is (a test's setup); records no call.
  void put(ActualLrp lrp);
  // Every row, in list order.
  std::vector<ActualLrp> rows() const;
  // Inserts every row or none: ResourceExists when one is taken. For FakeDesiredLrpDb.
  Status insert_all(const std::vector<ActualLrp>& lrps);

  std::vector<ActualLrpFilter> list_calls;
  std::vector<MutateCall> mutate_calls;

 private:
  using Key = std::tuple<std::string, std::int32_t, int>;
  static Key key_of(const ActualLrp& lrp);

  std::map<Key, ActualLrp> rows_;
};

}  // namespace cupola::bbs::fakes
