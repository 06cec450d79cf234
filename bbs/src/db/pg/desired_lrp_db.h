#pragma once

#include "bbs/src/db/desired_lrp_db.h"
#include "common/pg/pool.h"

namespace cupola::bbs {

// DesiredLrpDb on the desired_lrps table (and actual_lrps for the first instances).
// `pool` must outlive this object; calls run on the pool's executor.
class PgDesiredLrpDb final : public DesiredLrpDb {
 public:
  explicit PgDesiredLrpDb(pg::Pool& pool) : pool_(pool) {}

  // DesiredLrpDb
  boost::asio::awaitable<Result<std::vector<DesiredLrp>>> list(DesiredLrpFilter filter) override;
  boost::asio::awaitable<Result<DesiredLrp>> get(std::string process_guid) override;
  boost::asio::awaitable<Status> desire(DesiredLrp lrp, std::vector<ActualLrp> actuals) override;
  boost::asio::awaitable<Result<std::pair<DesiredLrp, DesiredLrp>>> update(
      std::string process_guid,
      std::function<Result<DesiredLrp>(const DesiredLrp&)> decide) override;
  boost::asio::awaitable<Result<DesiredLrp>> remove(std::string process_guid) override;

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::bbs
