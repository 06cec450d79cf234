// cupola-cc end to end: a real Postgres and nats-server, the process itself, and what `cf
// api`, `cf login`, `cf create-org`, `cf create-user`, `cf set-org-role` and `cf logout` send.
#include <catch2/catch.hpp>

#include "common/core/base64.h"
#include "common/json/json.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using namespace std::chrono_literals;
using http::test::BlockingClient;

namespace {

struct CcProcess {
  unsigned short port = testing::free_tcp_port();
  testing::TempDir dir;
  std::unique_ptr<testing::ComponentRunner> runner;
  std::string config;

  CcProcess(const testing::NatsServer& nats, const std::string& database) {
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    config = R"({"listen_address": "127.0.0.1:)" + std::to_string(port) + R"(", "database": ")" +
             database + R"(", "nats_servers": [")" + nats.url() + R"("], "api_url": ")" + url +
             R"(", "login_url": ")" + url + R"(", "uaa_url": ")" + url +
             R"(", "log_cache_url": "http://127.0.0.1:1", "token_signing_key_file": ")" +
             (dir.path() / "key.pem").string() +
             R"(", "bbs_url": "http://127.0.0.1:1", "internal_secret_file": ")" +
             (dir.path() / "secret").string() + R"(", "blobstore_dir": ")" +
             (dir.path() / "blobs").string() +
             R"(", "admin_username": "admin", "admin_password": "admin-secret-1"})";
    start();
  }
  void start() {
    runner = std::make_unique<testing::ComponentRunner>("cupola-cc", "cc", config);
    runner->start(60s);
  }
  http::Response call(http::Verb verb, const std::string& target, const std::string& token,
                      const std::string& body = "", const std::string& type = "application/json") {
    BlockingClient client(port);
    http::Request req{verb, target, 11};
    if (!token.empty()) req.set(http::bhttp::field::authorization, "bearer " + token);
    if (!body.empty()) {
      req.set(http::bhttp::field::content_type, type);
      req.body() = body;
    }
    return client.request(std::move(req));
  }
  // The password grant as the cf CLI sends it (client "cf", empty secret).
  http::Response login(const std::string& user, const std::string& password) {
    BlockingClient client(port);
    http::Request req{http::Verb::post, "/oauth/token", 11};
    req.set(http::bhttp::field::authorization, "Basic Y2Y6");  // "cf:"
    req.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = "grant_type=password&username=" + user + "&password=" + password;
    return client.request(std::move(req));
  }
};

json::Document body_of(const http::Response& res) {
  auto doc = json::parse(res.body());
  INFO(res.body());
  REQUIRE(doc.ok());
  return std::move(*doc);
}

std::string access_token(const http::Response& res) {
  INFO(res.body());
  REQUIRE(res.result() == http::StatusCode::ok);
  return body_of(res)["access_token"].GetString();
}

}  // namespace

TEST_CASE(
    "cupola-cc: log in, make an org and a user with a role, log out; all of it survives a "
    "restart") {
  testing::NatsServer nats;
  auto& pg = testing::PostgresServer::shared();
  CcProcess cc(nats, pg.conninfo(pg.fresh_database("ccdb")));

  // cf api: the root and /v3, no token.
  auto root = body_of(cc.call(http::Verb::get, "/", ""));
  CHECK(std::string(root["links"]["login"]["href"].GetString()) ==
        "http://127.0.0.1:" + std::to_string(cc.port));
  auto login_info = body_of(cc.call(http::Verb::get, "/login", ""));
  CHECK(login_info["prompts"]["username"].Size() == 2);

  // cf login
  CHECK(cc.login("admin", "wrong-password").result() == http::StatusCode::unauthorized);
  auto granted = cc.login("admin", "admin-secret-1");
  std::string admin = access_token(granted);
  CHECK(std::string(body_of(granted)["token_type"].GetString()) == "bearer");

  // cf create-org
  INFO(cc.runner->process().output());
  auto org = cc.call(http::Verb::post, "/v3/organizations", admin, R"({"name": "acme"})");
  REQUIRE(org.result() == http::StatusCode::created);
  std::string org_guid = body_of(org)["guid"].GetString();

  // cf create-user: the token service's /Users, then the CC's /v3/users.
  auto scim = cc.call(http::Verb::post, "/Users", admin,
                      R"({"userName": "bob", "password": "bob-secret-1", "origin": "",
                          "emails": [{"value": "bob@example.com", "primary": true}]})");
  INFO(scim.body());
  REQUIRE(scim.result() == http::StatusCode::created);
  std::string bob_guid = body_of(scim)["id"].GetString();
  REQUIRE(cc.call(http::Verb::post, "/v3/users", admin, R"({"guid": ")" + bob_guid + R"("})")
              .result() == http::StatusCode::created);

  // cf set-org-role bob acme OrgManager, by username without an origin.
  auto role = cc.call(http::Verb::post, "/v3/roles", admin,
                      R"({"type": "organization_manager", "relationships": {"organization": )"
                      R"({"data": {"guid": ")" +
                          org_guid + R"("}}, "user": {"data": {"username": "bob"}}}})");
  INFO(role.body());
  REQUIRE(role.result() == http::StatusCode::created);

  // Bob logs in and sees his org; a space he makes is his.
  std::string bob = access_token(cc.login("bob", "bob-secret-1"));
  auto orgs = body_of(cc.call(http::Verb::get, "/v3/organizations?order_by=name", bob));
  REQUIRE(orgs["resources"].Size() == 1);
  CHECK(std::string(orgs["resources"][0]["name"].GetString()) == "acme");
  auto space = cc.call(http::Verb::post, "/v3/spaces", bob,
                       R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                           org_guid + R"("}}}})");
  CHECK(space.result() == http::StatusCode::created);

  // The signing key and everything stored outlive a restart: old tokens still work.
  cc.runner->stop();
  cc.start();
  CHECK(body_of(cc.call(http::Verb::get, "/v3/spaces?names=dev", bob))["resources"].Size() == 1);
  CHECK(body_of(cc.call(http::Verb::get, "/v3/organizations", admin))["resources"].Size() == 1);

  // cf logout revokes the token: the API then refuses it as CF-InvalidAuthToken.
  auto claims_part = bob.substr(bob.find('.') + 1);
  claims_part = claims_part.substr(0, claims_part.find('.'));
  std::string padded = claims_part;
  for (auto& c : padded) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (padded.size() % 4) padded += '=';
  auto decoded = base64_decode(padded);
  REQUIRE(decoded.has_value());
  std::string jti = body_of(http::json_response(http::StatusCode::ok, *decoded))["jti"].GetString();
  auto revoke = cc.call(http::Verb::delete_, "/oauth/token/revoke/" + jti, bob);
  CHECK(revoke.result() == http::StatusCode::ok);
  auto refused = cc.call(http::Verb::get, "/v3/organizations", bob);
  CHECK(refused.result() == http::StatusCode::unauthorized);
  CHECK(refused.body().find("CF-InvalidAuthToken") != std::string::npos);
}
