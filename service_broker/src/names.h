#pragma once

#include <string>
#include <string_view>

#include "common/core/result.h"

namespace cupola::pg_broker {

// Names on the target server, derived from the platform's ids so that a retried request
// finds what an earlier attempt made. Ids are free text; names are a fixed prefix and 32 hex
// digits of the id's SHA-256, so they are valid, unquoted-safe identifiers of 41 bytes.

// The instance's database; its owner role (NOLOGIN) has the same name, so that pg_hba.conf's
// "samerole" keyword matches exactly the bindings of each database.
std::string instance_database(std::string_view instance_id);
// The login role of one binding.
std::string binding_username(std::string_view instance_id, std::string_view binding_id);

// SQL quoting for the statements that cannot take parameters (CREATE ROLE, CREATE DATABASE).
// "a""b" for identifiers; 'it''s' for literals, E'…' with doubled backslashes when the text
// has any.
std::string quote_ident(std::string_view name);
std::string quote_literal(std::string_view text);

// `conninfo` (keyword/value or URI) with its database replaced by `dbname`, as keyword/value
// text. Errc::InvalidArgument when libpq cannot parse it (the message never echoes it).
Result<std::string> with_dbname(std::string_view conninfo, std::string_view dbname);

}  // namespace cupola::pg_broker
