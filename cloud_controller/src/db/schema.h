#pragma once

#include <vector>

#include "common/pg/migrate.h"

namespace cupola::cc {

// The Cloud Controller's own tables (ccdb), as versioned migrations for pg::migrate, oldest
// first. Versions 1–999 are the CC's; the token service's tables use 1000–1099.
std::vector<pg::Migration> cc_migrations();

}  // namespace cupola::cc
