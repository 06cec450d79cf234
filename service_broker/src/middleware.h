#pragma once

#include <string>

#include "common/http/server.h"
#include "common/log/log.h"

namespace cupola::pg_broker {

// The checks every OSB request passes, outermost first (see handlers.cpp for the list).

// Logs each request once it is answered: method, path, status, the platform's request
// identity (echoed in the response) and its originating identity, base64-decoded. Bodies are
// never logged: they carry credentials.
http::Middleware request_log(log::Logger log);

// HTTP basic authentication against the configured username and password; 401 with an OSB
// error body and a WWW-Authenticate challenge otherwise.
http::Middleware basic_auth(std::string username, std::string password);

// X-Broker-API-Version must be 2.13 or later (and below 3): 412 Precondition Failed with an
// OSB error body otherwise, a missing header included.
http::Middleware api_version();

// "cloudfoundry eyJ1c2VyX2lkIjoiMTIzIn0=" → "cloudfoundry {\"user_id\":\"123\"}"; a value that
// does not decode is returned as "<platform> (undecodable)".
std::string decode_originating_identity(std::string_view header);

// Whether `header` ("2.17") names a version this broker speaks.
bool supported_api_version(std::string_view header);

}  // namespace cupola::pg_broker
