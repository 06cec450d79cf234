#pragma once

#include <map>

#include "bbs/src/db/desired_lrp_db.h"
#include "test/bbs/fakes/call_log.h"
#include "test/bbs/fakes/fake_actual_lrp_db.h"

namespace cupola::bbs::fakes {

// DesiredLrpDb in a map, ordered by process_guid. desire() puts the first actual rows into
// `actuals`, all or nothing, as the Postgres store does in one transaction.
class FakeDesiredLrpDb final : public DesiredLrpDb, public CallLog {
 public:
  explicit FakeDesiredLrpDb(FakeActualLrpDb& actuals) : actuals_(actuals) {}

  // DesiredLrpDb
  boost::asio::awaitable<Result<std::vector<DesiredLrp>>> list(DesiredLrpFilter filter) override;
  boost::asio::awaitable<Result<DesiredLrp>> get(std::string process_guid) override;
  boost::asio::awaitable<Status> desire(DesiredLrp lrp, std::vector<ActualLrp> actuals) override;
  boost::asio::awaitable<Result<std::pair<DesiredLrp, DesiredLrp>>> update(
      std::string process_guid,
      std::function<Result<DesiredLrp>(const DesiredLrp&)> decide) override;
  boost::asio::awaitable<Result<DesiredLrp>> remove(std::string process_guid) override;

  // Stores a record as is (a test's setup); records no call.
  void put(DesiredLrp lrp);
  // Every record, in list order.
  std::vector<DesiredLrp> records() const;

  // Process guids (or filters) of the calls, oldest first.
  std::vector<DesiredLrpFilter> list_calls;
  std::vector<std::string> get_calls;
  std::vector<DesiredLrp> desire_calls;
  std::vector<std::string> update_calls;
  std::vector<std::string> remove_calls;

 private:
  FakeActualLrpDb& actuals_;
  std::map<std::string, DesiredLrp> records_;
};

}  // namespace cupola::bbs::fakes
