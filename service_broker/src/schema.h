#pragma once

#include <vector>

#include "common/pg/migrate.h"

namespace cupola::pg_broker {

// The migrations of the broker's own database, oldest first.
std::vector<pg::Migration> broker_migrations();

}  // namespace cupola::pg_broker
