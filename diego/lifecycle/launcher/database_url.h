#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::lifecycle {

// Every non-empty `credentials.uri` in VCAP_SERVICES ({"<label>": [{"credentials": {...}}]}),
// in document order. Empty when the text is not such JSON.
std::vector<std::string> service_credential_uris(std::string_view vcap_services);

// DATABASE_URL as Cloud Foundry's launcher sets it: the first URI whose scheme is mysql,
// mysql2, postgres or postgresql (any case), with mysql written as mysql2 and postgresql as
// postgres, the rest kept as given. URIs that do not parse (control characters, bad
// %-escapes, a non-numeric port) are skipped. Nothing when none qualifies.
std::optional<std::string> database_url(const std::vector<std::string>& uris);

inline std::optional<std::string> database_url_from_services(std::string_view vcap_services) {
  return database_url(service_credential_uris(vcap_services));
}

}  // namespace cupola::lifecycle
