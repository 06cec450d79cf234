#pragma once

// Internal to the ccdb stores: the columns of an app ("a") and a process ("p") in a SELECT,
// and reading them back from any position of a row.

#include <string>

#include "cloud_controller/src/db/apps_db.h"
#include "cloud_controller/src/db/sql_support.h"

namespace cupola::cc::sql {

inline const std::string kAppColumns =
    "a.guid, a.name, a.space_guid, a.state, a.lifecycle, a.environment_variables, " +
    ts("a.created_at") + ", " + ts("a.updated_at") + ", a.droplet_guid";
inline constexpr int kAppColumnCount = 9;

inline const std::string kProcessColumns =
    "p.guid, p.app_guid, p.type, p.command, p.instances, p.memory_in_mb, p.disk_in_mb, "
    "p.health_check_type, p.health_check_timeout, p.health_check_endpoint, " +
    ts("p.created_at") + ", " + ts("p.updated_at") + ", p.version, p.log_rate_limit";
inline constexpr int kProcessColumnCount = 14;

inline App read_app_at(Reader& r, int at) {
  App a{r.text(at),     r.text(at + 1), r.text(at + 2), r.text(at + 3),
        r.text(at + 4), r.text(at + 5), r.text(at + 6), r.text(at + 7)};
  if (auto d = r.row.optional_text(at + 8); d && *d) a.droplet_guid = **d;
  return a;
}

inline Process read_process_at(Reader& r, int at) {
  Process p;
  p.guid = r.text(at);
  p.app_guid = r.text(at + 1);
  p.type = r.text(at + 2);
  if (auto c = r.row.optional_text(at + 3); c && *c) p.command = **c;
  p.instances = r.int64(at + 4);
  p.memory_in_mb = r.int64(at + 5);
  p.disk_in_mb = r.int64(at + 6);
  p.health_check_type = r.text(at + 7);
  if (auto t = r.row.optional_int64(at + 8); t && *t) p.health_check_timeout = **t;
  if (auto e = r.row.optional_text(at + 9); e && *e) p.health_check_endpoint = **e;
  p.created_at = r.text(at + 10);
  p.updated_at = r.text(at + 11);
  p.version = r.text(at + 12);
  p.log_rate_limit = r.int64(at + 13);
  return p;
}

}  // namespace cupola::cc::sql
