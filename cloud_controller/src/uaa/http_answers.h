#pragma once

// The JSON answers of the token service's endpoints, and of the Cloud Controller when a
// bearer token is missing or bad.

#include <span>
#include <string_view>

#include "cloud_controller/src/uaa/token_service.h"
#include "common/core/error.h"
#include "common/http/message.h"

namespace cupola::cc::uaa {

// OAuth's error body, {"error":"<uaa_error_name>","error_description":"<message>"}, with
// the code's status (errors.h). 401s carry a WWW-Authenticate challenge. Errors of other
// categories (storage) become 500 {"error":"server_error"} without their details, which
// the handler logs instead.
http::Response oauth_error_response(const Error& error);

// 403 insufficient_scope naming the scopes that would have allowed the call, as UAA does:
// {"error":"insufficient_scope","error_description":"Insufficient scope for this
// resource","scope":"scim.write uaa.admin"}.
http::Response insufficient_scope_response(std::span<const std::string_view> allowed);

// SCIM's error body (/Users): {"error":..., "error_description":..., "message":...}, plus
// "origin" for a taken username; authentication errors in OAuth's shape.
http::Response scim_error_response(const Error& error);

// 200 {"access_token", "token_type":"bearer", "refresh_token" (when there is one),
// "expires_in", "scope" (space-separated), "jti"}, not to be cached. token_type is
// lower-case: the cf CLI needs exactly "bearer". expires_in is the access token's lifetime.
http::Response token_response(const TokenGrant& grant);

// The Cloud Controller's 401s, in its v3 error shape:
//   {"errors":[{"detail":"Invalid Auth Token","title":"CF-InvalidAuthToken","code":1000}]}
//   {"errors":[{"detail":"Authentication error","title":"CF-NotAuthenticated","code":10002}]}
// The cf CLI refreshes its token and retries on CF-InvalidAuthToken.
http::Response cc_invalid_auth_token_response();
http::Response cc_not_authenticated_response();
// The one of the two for an error of TokenVerifier::authenticate: NotAuthenticated when no
// bearer token was sent, InvalidAuthToken otherwise.
http::Response cc_auth_error_response(const Error& error);

}  // namespace cupola::cc::uaa
