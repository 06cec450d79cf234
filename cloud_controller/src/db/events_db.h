#pragma once

// Audit events (who did what to which resource) and app usage events (when processes start,
// stop and change size: the basis for billing) in ccdb.

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

struct AuditEvent {
  std::string guid;
  std::string type;  // "audit.app.start", ...
  std::string actor_guid;
  std::string actor_type = "user";
  std::string actor_name;
  std::string target_guid;
  std::string target_type;  // "app", "route", "space", ...
  std::string target_name;
  std::string data_json = "{}";
  std::string space_guid;         // "" when the target is not in a space
  std::string organization_guid;  // "" for global targets
  std::string created_at;
};

struct UsageEvent {
  std::string guid;
  std::string state;           // STARTED, STOPPED, BUILDPACK_SET
  std::string previous_state;  // "" when unknown
  std::string app_guid, app_name;
  std::string process_guid, process_type;
  std::int64_t instance_count = 0;
  std::int64_t previous_instance_count = 0;
  std::int64_t memory_in_mb_per_instance = 0;
  std::int64_t previous_memory_in_mb_per_instance = 0;
  std::string space_guid, space_name, organization_guid;
  std::string buildpack_guid, buildpack_name;
  std::string created_at;
};

// Runs on the pool's executor. Errors: the database's.
class EventsDb {
 public:
  explicit EventsDb(pg::Pool& pool) : pool_(pool) {}

  boost::asio::awaitable<Status> record(AuditEvent e);
  // Filters guids, types, target_guids, space_guids, organization_guids. Viewers who do not
  // see everything get the events of the spaces and organizations they see.
  boost::asio::awaitable<Result<Page<AuditEvent>>> list(Viewer viewer, ListQuery q);

  boost::asio::awaitable<Status> record_usage(std::vector<UsageEvent> events);
  // Filters guids, after_guid (events recorded after that one), ordered by when they were
  // recorded.
  boost::asio::awaitable<Result<Page<UsageEvent>>> list_usage(ListQuery q,
                                                              std::optional<std::string> after);
  // Forgets every usage event, then records a STARTED one for each process of a started app.
  boost::asio::awaitable<Status> purge_and_reseed_usage();

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
