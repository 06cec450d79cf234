#pragma once

// The Cloud Controller's API on a real Postgres (a fresh database per fixture), with the
// token service played by the test: a bearer token is "bearer <name>" for the people the test
// made up, and the user directory knows them.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <thread>

#include "cloud_controller/src/db/schema.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "common/http/server.h"
#include "common/json/json.h"
#include "common/pg/migrate.h"
#include "common/testing/postgres/postgres_server.h"
#include "test/common/http/server_fixture.h"

namespace cupola::cc::test {

namespace asio = boost::asio;

class FakeTokens final : public Authenticator, public UserDirectory {
 public:
  std::map<std::string, Caller> callers;      // by token
  std::map<std::string, UserIdentity> users;  // by guid

  // A person with a token "bearer <name>" and a user guid "<name>-guid".
  void person(const std::string& name, bool admin = false) {
    Caller c;
    c.user_guid = name + "-guid";
    c.user_name = name;
    c.origin = "uaa";
    c.admin = admin;
    c.can_write = true;
    callers[name] = c;
    users[c.user_guid] = {c.user_guid, name, "uaa"};
  }

  asio::awaitable<Result<Caller>> authenticate(std::string header) override {
    if (header.empty()) co_return make_error(Errc::NotFound, "no token");
    if (!header.starts_with("bearer ")) co_return make_error(Errc::InvalidArgument, "bad");
    auto it = callers.find(header.substr(7));
    if (it == callers.end()) co_return make_error(Errc::InvalidArgument, "unknown token");
    co_return it->second;
  }
  asio::awaitable<Result<std::optional<UserIdentity>>> find_by_name(std::string username,
                                                                    std::string origin) override {
    for (const auto& [guid, u] : users) {
      if (u.username == username && u.origin == origin) co_return std::optional(u);
    }
    co_return std::optional<UserIdentity>();
  }
  asio::awaitable<Result<std::vector<UserIdentity>>> find_by_guids(
      std::vector<std::string> guids) override {
    std::vector<UserIdentity> out;
    for (const auto& g : guids) {
      if (auto it = users.find(g); it != users.end()) out.push_back(it->second);
    }
    co_return out;
  }
};

class CcFixture {
 public:
  CcFixture()
      : logger_(std::make_shared<log::StderrSink>(), clock_, "cc-test"),
        pool_(io_.get_executor(),
              pg::PoolOptions{.conninfo = testing::PostgresServer::shared().conninfo(
                                  testing::PostgresServer::shared().fresh_database("cc"))},
              logger_),
        db_(pool_),
        apps_(pool_),
        api_{db_,
             apps_,
             tokens,
             tokens,
             guids_,
             Urls{"https://api.test", "https://login.test", "https://uaa.test",
                  "https://log-cache.test"},
             logger_} {
    tokens.person("admin", true);
    thread_ = std::thread([this] { io_.run(); });
    auto migrated =
        asio::co_spawn(io_, pg::migrate(pool_, cc_migrations(), logger_), asio::use_future).get();
    REQUIRE(migrated.ok());
    server_ = std::make_shared<http::Server>(io_.get_executor(), http::ServerOptions{},
                                             make_cc_router(api_), logger_);
    asio::co_spawn(io_, server_->start(), asio::use_future).get();
    asio::co_spawn(io_, server_->run(), asio::detached);
  }
  ~CcFixture() {
    asio::post(io_, [s = server_] { s->stop(); });
    work_.reset();
    thread_.join();
  }

  // One request as `who` ("" for none); the body is JSON.
  http::Response call(http::Verb verb, const std::string& target, const std::string& who,
                      const std::string& body = "") {
    http::test::BlockingClient client(server_->port());
    http::Request req{verb, target, 11};
    if (!who.empty()) req.set(http::bhttp::field::authorization, "bearer " + who);
    if (!body.empty()) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    return client.request(std::move(req));
  }
  http::Response get(const std::string& target, const std::string& who) {
    return call(http::Verb::get, target, who);
  }
  http::Response post(const std::string& target, const std::string& who, const std::string& body) {
    return call(http::Verb::post, target, who, body);
  }
  http::Response del(const std::string& target, const std::string& who) {
    return call(http::Verb::delete_, target, who);
  }

  FakeTokens tokens;

 private:
  SystemClock clock_;
  log::Logger logger_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  pg::Pool pool_;
  TenancyDb db_;
  AppsDb apps_;
  RandomGuidGenerator guids_;
  ApiContext api_;
  std::shared_ptr<http::Server> server_;
  std::thread thread_;
};

inline json::Document body_of(const http::Response& res) {
  auto doc = json::parse(res.body());
  REQUIRE(doc.ok());
  return std::move(*doc);
}

// The first error's detail.
inline std::string detail_of(const http::Response& res) {
  auto doc = body_of(res);
  return doc["errors"][0]["detail"].GetString();
}

inline std::vector<std::string> names_in(const http::Response& res) {
  auto doc = body_of(res);
  std::vector<std::string> out;
  for (const auto& r : doc["resources"].GetArray()) out.push_back(r["name"].GetString());
  return out;
}

}  // namespace cupola::cc::test
