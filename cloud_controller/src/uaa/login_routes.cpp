#include "cloud_controller/src/uaa/routes.h"
#include "common/json/json.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {

std::string login_json(const LoginInfo& info) {
  json::Writer w;
  w.start_object();
  w.key("app").start_object().field("version", kUaaApiVersion).end_object();
  // No "passwd" or "register" links: there are no such pages here.
  w.key("links").start_object();
  w.field("uaa", info.uaa_url).field("login", info.login_url);
  w.end_object();
  w.field("zone_name", kZoneId);
  w.key("idpDefinitions").start_object().end_object();
  // Only these two: the cf CLI asks for every prompt it is given.
  w.key("prompts").start_object();
  w.key("username").start_array().value("text").value("Email").end_array();
  w.key("password").start_array().value("password").value("Password").end_array();
  w.end_object();
  w.field("showLoginLinks", false);
  w.end_object();
  return w.str();
}

}  // namespace

void add_login_routes(http::Router& r, const LoginInfo& info, const TokenIssuer& issuer) {
  // The bearer token the cf CLI sends here once logged in is ignored.
  auto body = std::make_shared<const std::string>(login_json(info));
  http::Handler login = [body](RequestContext&) -> asio::awaitable<Response> {
    co_return http::json_response(http::StatusCode::ok, *body);
  };
  r.get("/login", login);
  r.get("/info", login);
  r.get("/token_keys", [&issuer](RequestContext&) -> asio::awaitable<Response> {
    co_return http::json_response(http::StatusCode::ok, issuer.token_keys_json());
  });
  r.get("/token_key", [&issuer](RequestContext&) -> asio::awaitable<Response> {
    co_return http::json_response(http::StatusCode::ok, issuer.token_key_json());
  });
}

void add_uaa_routes(http::Router& router, const UaaRoutes& uaa) {
  add_login_routes(router, uaa.info, uaa.issuer);
  add_token_routes(router, uaa.tokens, uaa.verifier, uaa.clock);
  add_user_routes(router, uaa.users, uaa.verifier, uaa.clock);
}

}  // namespace cupola::cc::uaa
