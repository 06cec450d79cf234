#pragma once

#include <vector>

#include "common/pg/migrate.h"

namespace cupola::bbs {

// The BBS tables, as versioned migrations for pg::migrate, oldest first. Key columns
// compare bytewise (COLLATE "C") so that listings come back in the same order as the
// in-memory stores' std::map keys.
std::vector<pg::Migration> bbs_migrations();

}  // namespace cupola::bbs
