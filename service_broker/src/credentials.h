#pragma once

#include <string>

#include "common/json/json.h"

namespace cupola::pg_broker {

// Where applications reach the target server.
struct Endpoint {
  std::string hostname;
  int port = 5432;
};

// Writes a binding's credentials object: uri ("postgres://user:password@host:port/db"),
// hostname, port, name (the database), username, password and jdbcUrl.
void write_credentials(json::Writer& w, const Endpoint& endpoint, const std::string& database,
                       const std::string& username, const std::string& password);

}  // namespace cupola::pg_broker
