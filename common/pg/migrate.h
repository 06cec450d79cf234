#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/log/log.h"
#include "common/pg/pool.h"

namespace cupola::pg {

struct Migration {
  std::int64_t version;  // positive, unique; applied in ascending order
  std::string name;      // for people and the schema_migrations table
  std::string sql;       // one or more statements; must be able to run in a transaction
};

// The advisory lock key migrate() holds while it works.
inline constexpr std::int64_t kMigrationLockKey = 0x6375706f6c61'01;  // "cupola" 1

// Every problem with a migration list at once (duplicate or non-positive versions, empty
// names or SQL), or success.
Status validate_migrations(const std::vector<Migration>& migrations);

// Brings the database up to date: creates schema_migrations(version, name, applied_at) if
// needed, then applies each migration not yet recorded there, in version order, each in
// its own transaction together with its record. Holds a session advisory lock
// (kMigrationLockKey) throughout, so concurrent migrators take turns and each migration
// runs once; running again is a no-op. Returns the versions this call applied. A failing
// migration is rolled back and its error returned (message names the migration); those
// before it stay applied.
boost::asio::awaitable<Result<std::vector<std::int64_t>>> migrate(Pool& pool,
                                                                  std::vector<Migration> migrations,
                                                                  log::Logger log);

}  // namespace cupola::pg
