#pragma once

#include <vector>

#include "common/pg/migrate.h"

namespace cupola::cc::uaa {

// The token service's tables in the Cloud Controller's database: uaa_users and
// uaa_revoked_tokens (prefixed so they never collide with the CC's own "users").
// Versions lie in 1000–1099, the range the Cloud Controller reserves for this module;
// run them with pg::migrate together with (or apart from) the CC's own migrations.
std::vector<pg::Migration> uaa_migrations();

}  // namespace cupola::cc::uaa
