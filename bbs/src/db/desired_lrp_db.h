#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "common/core/result.h"

namespace cupola::bbs {

struct DesiredLrpFilter {
  std::optional<std::string> domain;
  std::vector<std::string> process_guids;  // empty: any
  // Only what scheduling needs (process_guid, domain, instances, memory, disk, pids, rootfs,
  // placement tags, modification tag); actions, env, routes and the rest are left empty.
  // Much cheaper for convergence over every record.
  bool scheduling_only = false;
};

// Desired LRPs by process_guid. All calls run on the BBS's executor.
class DesiredLrpDb {
 public:
  virtual ~DesiredLrpDb() = default;

  virtual boost::asio::awaitable<Result<std::vector<DesiredLrp>>> list(DesiredLrpFilter filter) = 0;
  // ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<DesiredLrp>> get(std::string process_guid) = 0;

  // Stores a new desired LRP and its first actual rows in one transaction.
  // ResourceExists when the process_guid is taken (nothing is written then).
  virtual boost::asio::awaitable<Status> desire(DesiredLrp lrp, std::vector<ActualLrp> actuals) = 0;

  // Under a row lock, replaces the record with decide(current); the stored tag's index goes
  // up by one. Returns {before, after}. ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<std::pair<DesiredLrp, DesiredLrp>>> update(
      std::string process_guid, std::function<Result<DesiredLrp>(const DesiredLrp&)> decide) = 0;

  // Deletes it and returns what it was. ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<DesiredLrp>> remove(std::string process_guid) = 0;
};

}  // namespace cupola::bbs
