#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/form.h"
#include "cloud_controller/src/uaa/http_answers.h"
#include "cloud_controller/src/uaa/routes.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {

std::string value_of(const std::map<std::string, std::string>& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

// The token request in the body; the client from HTTP Basic when sent, else from the form
// (a public client may leave client_secret out). Only login_hint is read from the query:
// credentials do not belong in URLs, which end up in logs.
Result<TokenRequest> decode_token_request(const RequestContext& ctx) {
  auto form = parse_form(ctx.request.body());
  if (!form) return uaa_error(UaaErrc::InvalidRequest, "The request body is not form-encoded.");
  TokenRequest req;
  req.grant_type = value_of(*form, "grant_type");
  req.username = value_of(*form, "username");
  req.password = value_of(*form, "password");
  req.refresh_token = value_of(*form, "refresh_token");
  auto authorization = ctx.request[http::bhttp::field::authorization];
  if (!authorization.empty()) {
    auto basic = parse_basic_auth(std::string_view(authorization.data(), authorization.size()));
    if (!basic) return uaa_error(UaaErrc::BadCredentials, kBadCredentials);
    req.client = std::move(*basic);
  } else if (form->count("client_id")) {
    req.client = ClientCredentials{value_of(*form, "client_id"), value_of(*form, "client_secret")};
  }
  std::string hint = value_of(*form, "login_hint");
  if (hint.empty()) {
    auto query = parse_form(ctx.query());
    if (query) hint = value_of(*query, "login_hint");
  }
  req.login_hint_origin = login_hint_origin(hint);
  return req;
}

}  // namespace

void add_token_routes(http::Router& r, TokenService& tokens, const TokenVerifier& verifier,
                      const Clock& clock) {
  r.post("/oauth/token", [&tokens](RequestContext& ctx) -> asio::awaitable<Response> {
    auto request = decode_token_request(ctx);
    if (!request) co_return oauth_error_response(request.error());
    auto grant_op = tokens.grant(std::move(request).value());
    auto grant = co_await std::move(grant_op);
    if (!grant) {
      if (grant.error().code.category() != uaa_category()) {
        ctx.log.error("token.failed", grant.error().describe());
      }
      co_return oauth_error_response(grant.error());
    }
    co_return token_response(*grant);
  });

  r.del("/oauth/token/revoke/:jti",
        [&tokens, &verifier, &clock](RequestContext& ctx) -> asio::awaitable<Response> {
          auto authorization = ctx.request[http::bhttp::field::authorization];
          auto caller = verifier.authenticate(
              std::string_view(authorization.data(), authorization.size()), clock.now());
          if (!caller) co_return oauth_error_response(caller.error());
          std::string jti(ctx.params.get("jti"));
          auto revoke_op = tokens.revoke(std::move(caller).value(), std::move(jti));
          auto revoked = co_await std::move(revoke_op);
          if (!revoked) {
            if (revoked.error().code.category() != uaa_category()) {
              ctx.log.error("token.revoke-failed", revoked.error().describe());
            }
            co_return oauth_error_response(revoked.error());
          }
          co_return http::make_response(http::StatusCode::ok, "", "text/plain");
        });
}

}  // namespace cupola::cc::uaa
