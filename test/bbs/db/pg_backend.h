#pragma once

#include <string>

#include "bbs/src/db/pg/actual_lrp_db.h"
#include "bbs/src/db/pg/cell_db.h"
#include "bbs/src/db/pg/desired_lrp_db.h"
#include "bbs/src/db/pg/task_db.h"
#include "common/pg/pool.h"
#include "test/bbs/db/backend.h"

namespace cupola::bbs::contract {

// The Postgres stores over one pool to `conninfo`, with the BBS schema applied.
class PgBackend final : public Backend {
 public:
  explicit PgBackend(std::string conninfo, pg::PoolOptions options = {});

  std::string name() const override { return "pg"; }
  ActualLrpDb& actual_lrps() override { return actual_; }
  DesiredLrpDb& desired_lrps() override { return desired_; }
  TaskDb& tasks() override { return tasks_; }
  CellDb& cells() override { return cells_; }
  DomainDb& domains() override { return domains_; }
  LockDb& locks() override { return locks_; }

  pg::Pool& pool() { return pool_; }
  // Applies the BBS migrations; returns the versions this call applied.
  std::vector<std::int64_t> migrate();

 private:
  pg::Pool pool_;
  PgActualLrpDb actual_{pool_};
  PgDesiredLrpDb desired_{pool_};
  PgTaskDb tasks_{pool_};
  PgCellDb cells_{pool_};
  PgDomainDb domains_{pool_};
  PgLockDb locks_{pool_};
};

}  // namespace cupola::bbs::contract
