#pragma once

#include "bbs/src/db/actual_lrp_db.h"
#include "common/pg/pool.h"

namespace cupola::bbs {

// ActualLrpDb on the actual_lrps table. `pool` must outlive this object; calls run on the
// pool's executor.
class PgActualLrpDb final : public ActualLrpDb {
 public:
  explicit PgActualLrpDb(pg::Pool& pool) : pool_(pool) {}

  // ActualLrpDb
  boost::asio::awaitable<Result<std::vector<ActualLrp>>> list(ActualLrpFilter filter) override;
  boost::asio::awaitable<Result<ActualLrpChanges>> mutate(std::string process_guid,
                                                          std::int32_t index,
                                                          ActualLrpDecision decide) override;

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::bbs
