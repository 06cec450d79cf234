#pragma once

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::pg {

// A description of a connection string that is safe to log: host, port, dbname and user
// only, never the password or other options ("host=127.0.0.1 port=5432 dbname=bbs
// user=cupola"). Accepts keyword/value strings and postgres:// URIs. Fails with
// Errc::InvalidArgument (without echoing the input) when libpq cannot parse it.
Result<std::string> describe_conninfo(std::string_view conninfo);

// describe_conninfo, or "<invalid conninfo>".
std::string safe_conninfo(std::string_view conninfo);

// Whether `name` may be used as a LISTEN channel: 1-63 characters of [a-z0-9_], not
// starting with a digit. Channel names are identifiers, which cannot be query parameters,
// so only names that need no quoting are accepted.
bool is_valid_channel_name(std::string_view name);

}  // namespace cupola::pg
