#pragma once

#include <string>
#include <string_view>

#include "cloud_controller/src/uaa/token_issuer.h"
#include "cloud_controller/src/uaa/token_service.h"
#include "cloud_controller/src/uaa/token_verifier.h"
#include "cloud_controller/src/uaa/users.h"
#include "common/core/clock.h"
#include "common/http/router.h"

namespace cupola::cc::uaa {

// The UAA release whose API these endpoints follow, as /login reports it. The cf CLI only
// compares it with 4.26.0 (for `cf auth --origin`).
inline constexpr std::string_view kUaaApiVersion = "4.30.0";

// Where the token service is reached: links.login and links.uaa of /login.
struct LoginInfo {
  std::string login_url;
  std::string uaa_url;
};

// GET /login and GET /info: server information with the prompts `cf login` asks
// (username ["text","Email"], password ["password","Password"]). GET /token_keys: the
// verification keys; GET /token_key: the active one. No authentication. `issuer` must
// outlive the router.
void add_login_routes(http::Router& router, const LoginInfo& info, const TokenIssuer& issuer);

// POST /oauth/token (form-encoded; client by HTTP Basic or client_id/client_secret) and
// DELETE /oauth/token/revoke/:jti (bearer token). Errors in OAuth's shape (http_answers.h).
void add_token_routes(http::Router& router, TokenService& tokens, const TokenVerifier& verifier,
                      const Clock& clock);

// SCIM users: POST /Users (scim.write, scim.create or uaa.admin; 201), GET /Users with an
// optional filter, startIndex and count (scim.read or uaa.admin), GET /Users/:id (also the
// user itself), DELETE /Users/:id (scim.write or uaa.admin; 200 with the deleted user).
void add_user_routes(http::Router& router, UserAdmin& users, const TokenVerifier& verifier,
                     const Clock& clock);

// Everything above. Every reference must outlive the router.
struct UaaRoutes {
  LoginInfo info;
  const TokenIssuer& issuer;
  TokenService& tokens;
  UserAdmin& users;
  const TokenVerifier& verifier;
  const Clock& clock;
};
void add_uaa_routes(http::Router& router, const UaaRoutes& uaa);

}  // namespace cupola::cc::uaa
