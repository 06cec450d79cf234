#pragma once

// The Cloud Controller's v3 error answers: {"errors":[{"code","title","detail"}]} with Cloud
// Foundry's codes and titles, and the detail texts the cf CLI matches on (cf-api.md §1.6).

#include <string>
#include <string_view>

#include "common/http/message.h"

namespace cupola::cc {

struct CcError {
  http::StatusCode status = http::StatusCode::internal_server_error;
  int code = 10001;
  std::string title = "CF-ServerError";
  std::string detail;
};

http::Response error_response(const CcError& e);

// 401 CF-NotAuthenticated (10002): no token.
CcError not_authenticated();
// 401 CF-InvalidAuthToken (1000): a token that is malformed, forged, expired or revoked.
CcError invalid_auth_token();
// 403 CF-NotAuthorized (10003): seen, but not to be done by this user.
CcError not_authorized();
// 404 CF-ResourceNotFound (10010): "<What> not found" ("App not found", "Organization not
// found"): what does not exist and what the user may not see look alike.
CcError not_found(std::string_view what);
// 404 CF-NotFound (10000) "Unknown request": a route the API does not have.
CcError unknown_request();
// 422 CF-UnprocessableEntity (10008).
CcError unprocessable(std::string detail);
// 422 CF-UniquenessError (10016).
CcError uniqueness(std::string detail);
// 400 CF-BadQueryParameter (10005).
CcError bad_query(std::string detail);
// 400 CF-MessageParseError (1001): the body is not the JSON expected.
CcError message_parse(std::string detail);
// 503 CF-ServiceUnavailable (10015).
CcError unavailable(std::string detail);
// 500 CF-ServerError (10001): an unexpected failure; the detail is kept generic.
CcError server_error();

}  // namespace cupola::cc
