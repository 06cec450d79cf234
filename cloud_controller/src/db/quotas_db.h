#pragma once

// Organization and space quotas in ccdb, and what apps and routes use of them. An
// organization without a quota of its own has the one named "default"; a space without one
// is bound by its organization's alone. Unset limits are unlimited.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

struct QuotaLimits {
  std::optional<std::int64_t> total_memory_in_mb;
  std::optional<std::int64_t> per_process_memory_in_mb;
  std::optional<std::int64_t> total_instances;
  std::optional<std::int64_t> per_app_tasks;
  std::optional<std::int64_t> log_rate_limit_in_bytes_per_second;
  bool paid_services_allowed = true;
  std::optional<std::int64_t> total_service_instances;
  std::optional<std::int64_t> total_service_keys;
  std::optional<std::int64_t> total_routes;
  std::optional<std::int64_t> total_reserved_ports;
  std::optional<std::int64_t> total_domains;  // organization quotas only
};

struct Quota {
  std::string guid;
  std::string name;
  QuotaLimits limits;
  std::optional<std::string> organization_guid;  // a space quota's organization
  std::vector<std::string> applied_to;           // organizations or spaces
  std::string created_at;
  std::string updated_at;
};

// What runs and is routed in an organization and a space, against their quotas.
struct QuotaUsage {
  std::string organization_name;
  std::string space_name;
  QuotaLimits org;
  std::optional<QuotaLimits> space;
  std::int64_t org_memory_mb = 0;  // of started processes, instances × memory
  std::int64_t org_instances = 0;
  std::int64_t org_routes = 0;
  std::int64_t space_memory_mb = 0;
  std::int64_t space_instances = 0;
  std::int64_t space_routes = 0;
  std::int64_t org_log_rate = 0;  // of started processes with a limit, instances × limit
  std::int64_t space_log_rate = 0;
  std::int64_t org_service_instances = 0;  // managed ones
  std::int64_t space_service_instances = 0;
  std::int64_t org_service_keys = 0;
  std::int64_t space_service_keys = 0;
};

// Runs on the pool's executor. Errors: the database's; Conflict for a taken name; NotFound
// for changes to missing rows.
class QuotasDb {
 public:
  explicit QuotasDb(pg::Pool& pool) : pool_(pool) {}

  // kind: "organization" or "space". Filters guids, names, organization_guids (space quotas),
  // and, for those who do not see everything, only quotas of what they see.
  boost::asio::awaitable<Result<Page<Quota>>> list(std::string kind, Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Quota>>> get(std::string kind, Viewer viewer,
                                                           std::string guid);
  boost::asio::awaitable<Result<Quota>> create(std::string kind, Quota q);
  // Name and limits as given.
  boost::asio::awaitable<Result<Quota>> update(std::string kind, Quota q);
  // Organizations fall back to "default"; spaces to none. Conflict for "default" itself.
  boost::asio::awaitable<Status> remove(std::string kind, std::string guid);
  // Sets the quota of these organizations or spaces.
  boost::asio::awaitable<Status> apply(std::string kind, std::string guid,
                                       std::vector<std::string> targets);
  // Removes a space quota from a space; NotFound when it is not applied there.
  boost::asio::awaitable<Status> unapply_space(std::string guid, std::string space_guid);

  // The usage of the space's organization and the space, not counting `except_process` (the
  // process a change is about), and their limits.
  boost::asio::awaitable<Result<QuotaUsage>> usage(std::string space_guid,
                                                   std::string except_process = "");

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
