#include "bbs/src/db/pg/schema.h"

namespace cupola::bbs {
namespace {

// The scheduling fields of a desired LRP are columns so that listings for the auction and
// convergence can be filtered in SQL; the whole record is kept as JSON in `record`.
constexpr const char* kDesiredLrps = R"sql(
CREATE TABLE desired_lrps (
  process_guid text COLLATE "C" PRIMARY KEY,
  domain text COLLATE "C" NOT NULL,
  log_guid text NOT NULL DEFAULT '',
  annotation text NOT NULL DEFAULT '',
  instances integer NOT NULL,
  memory_mb integer NOT NULL,
  disk_mb integer NOT NULL,
  max_pids integer NOT NULL,
  rootfs text NOT NULL,
  routes text NOT NULL DEFAULT '',
  placement_tags text NOT NULL DEFAULT '[]',
  modification_tag_epoch text NOT NULL,
  modification_tag_index bigint NOT NULL,
  record text NOT NULL
);
CREATE INDEX desired_lrps_domain_idx ON desired_lrps (domain);
)sql";

// One row per (process_guid, instance_index, presence); presence is 0 ORDINARY,
// 1 EVACUATING, 2 SUSPECT. net_info is '' while the row has none.
constexpr const char* kActualLrps = R"sql(
CREATE TABLE actual_lrps (
  process_guid text COLLATE "C" NOT NULL,
  instance_index integer NOT NULL,
  presence smallint NOT NULL,
  domain text COLLATE "C" NOT NULL,
  instance_guid text NOT NULL DEFAULT '',
  cell_id text COLLATE "C" NOT NULL DEFAULT '',
  state text NOT NULL,
  net_info text NOT NULL DEFAULT '',
  crash_count integer NOT NULL DEFAULT 0,
  crash_reason text NOT NULL DEFAULT '',
  placement_error text NOT NULL DEFAULT '',
  since bigint NOT NULL,
  modification_tag_epoch text NOT NULL,
  modification_tag_index bigint NOT NULL,
  routable boolean NOT NULL DEFAULT false,
  availability_zone text NOT NULL DEFAULT '',
  PRIMARY KEY (process_guid, instance_index, presence)
);
CREATE INDEX actual_lrps_cell_id_idx ON actual_lrps (cell_id);
CREATE INDEX actual_lrps_domain_idx ON actual_lrps (domain);
)sql";

constexpr const char* kTasks = R"sql(
CREATE TABLE tasks (
  task_guid text COLLATE "C" PRIMARY KEY,
  domain text COLLATE "C" NOT NULL,
  state text NOT NULL,
  cell_id text COLLATE "C" NOT NULL DEFAULT '',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  first_completed_at bigint NOT NULL DEFAULT 0,
  modification_tag_epoch text NOT NULL,
  modification_tag_index bigint NOT NULL,
  task_definition text NOT NULL,
  result text NOT NULL DEFAULT '',
  failed boolean NOT NULL DEFAULT false,
  failure_reason text NOT NULL DEFAULT '',
  rejection_count integer NOT NULL DEFAULT 0,
  rejection_reason text NOT NULL DEFAULT ''
);
CREATE INDEX tasks_domain_idx ON tasks (domain);
CREATE INDEX tasks_cell_id_idx ON tasks (cell_id);
CREATE INDEX tasks_state_idx ON tasks (state);
)sql";

// Expiry times are ns since the epoch; a row is live while expire_time > now.
constexpr const char* kPresence = R"sql(
CREATE TABLE cells (
  cell_id text COLLATE "C" PRIMARY KEY,
  presence text NOT NULL,
  expire_time bigint NOT NULL
);
CREATE TABLE domains (
  domain text COLLATE "C" PRIMARY KEY,
  expire_time bigint NOT NULL
);
CREATE TABLE locks (
  key text COLLATE "C" PRIMARY KEY,
  owner text NOT NULL,
  expire_time bigint NOT NULL
);
)sql";

// The value a lock's holder publishes with it, such as the active auctioneer's URL.
constexpr const char* kLockValues = R"sql(
ALTER TABLE locks ADD COLUMN value text NOT NULL DEFAULT '';
)sql";

}  // namespace

std::vector<pg::Migration> bbs_migrations() {
  return {
      {1, "create desired_lrps", kDesiredLrps},
      {2, "create actual_lrps", kActualLrps},
      {3, "create tasks", kTasks},
      {4, "create cells, domains and locks", kPresence},
      {5, "add locks.value", kLockValues},
  };
}

}  // namespace cupola::bbs
