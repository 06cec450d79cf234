#pragma once

// Store decorators that add up the time spent in each call, to split a convergence pass
// into reading, deciding and writing. They forward everything to the wrapped store.

#include <chrono>
#include <cstdint>

#include "bbs/src/db/actual_lrp_db.h"
#include "bbs/src/db/desired_lrp_db.h"

namespace cupola::bench {

struct StoreTimes {
  double desired_list_ms = 0;
  double actual_list_ms = 0;
  double mutate_ms = 0;
  std::int64_t mutates = 0;
  std::int64_t rows_written = 0;  // created + changed + removed by mutate

  void reset() { *this = {}; }
};

namespace detail {
class Stopwatch {
 public:
  double ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};
}  // namespace detail

class TimedDesiredLrpDb final : public bbs::DesiredLrpDb {
 public:
  TimedDesiredLrpDb(bbs::DesiredLrpDb& inner, StoreTimes& times) : inner_(inner), times_(times) {}

  // DesiredLrpDb
  boost::asio::awaitable<Result<std::vector<bbs::DesiredLrp>>> list(
      bbs::DesiredLrpFilter filter) override {
    detail::Stopwatch w;
    auto r = co_await inner_.list(std::move(filter));
    times_.desired_list_ms += w.ms();
    co_return r;
  }
  boost::asio::awaitable<Result<bbs::DesiredLrp>> get(std::string process_guid) override {
    return inner_.get(std::move(process_guid));
  }
  boost::asio::awaitable<Status> desire(bbs::DesiredLrp lrp,
                                        std::vector<bbs::ActualLrp> actuals) override {
    return inner_.desire(std::move(lrp), std::move(actuals));
  }
  boost::asio::awaitable<Result<std::pair<bbs::DesiredLrp, bbs::DesiredLrp>>> update(
      std::string process_guid,
      std::function<Result<bbs::DesiredLrp>(const bbs::DesiredLrp&)> decide) override {
    return inner_.update(std::move(process_guid), std::move(decide));
  }
  boost::asio::awaitable<Result<bbs::DesiredLrp>> remove(std::string process_guid) override {
    return inner_.remove(std::move(process_guid));
  }

 private:
  bbs::DesiredLrpDb& inner_;
  StoreTimes& times_;
};

class TimedActualLrpDb final : public bbs::ActualLrpDb {
 public:
  TimedActualLrpDb(bbs::ActualLrpDb& inner, StoreTimes& times) : inner_(inner), times_(times) {}

  // ActualLrpDb
  boost::asio::awaitable<Result<std::vector<bbs::ActualLrp>>> list(
      bbs::ActualLrpFilter filter) override {
    detail::Stopwatch w;
    auto r = co_await inner_.list(std::move(filter));
    times_.actual_list_ms += w.ms();
    co_return r;
  }
  boost::asio::awaitable<Result<bbs::ActualLrpChanges>> mutate(
      std::string process_guid, std::int32_t index, bbs::ActualLrpDecision decide) override {
    detail::Stopwatch w;
    auto r = co_await inner_.mutate(std::move(process_guid), index, std::move(decide));
    times_.mutate_ms += w.ms();
    ++times_.mutates;
    if (r) {
      times_.rows_written +=
          static_cast<std::int64_t>(r->created.size() + r->changed.size() + r->removed.size());
    }
    co_return r;
  }

 private:
  bbs::ActualLrpDb& inner_;
  StoreTimes& times_;
};

}  // namespace cupola::bench
