#include "service_broker/src/credentials.h"

#include "common/http/message.h"

namespace cupola::pg_broker {

void write_credentials(json::Writer& w, const Endpoint& endpoint, const std::string& database,
                       const std::string& username, const std::string& password) {
  // An IPv6 address needs brackets inside a URL.
  std::string host = endpoint.hostname.find(':') != std::string::npos
                         ? "[" + endpoint.hostname + "]"
                         : endpoint.hostname;
  std::string authority = host + ":" + std::to_string(endpoint.port);
  std::string user = http::percent_encode(username);
  std::string pass = http::percent_encode(password);
  std::string db = http::percent_encode(database);
  w.start_object();
  w.field("uri", "postgres://" + user + ":" + pass + "@" + authority + "/" + db);
  w.field("hostname", endpoint.hostname);
  w.field("port", endpoint.port);
  w.field("name", database);
  w.field("username", username);
  w.field("password", password);
  w.field("jdbcUrl",
          "jdbc:postgresql://" + authority + "/" + db + "?user=" + user + "&password=" + pass);
  w.end_object();
}

}  // namespace cupola::pg_broker
