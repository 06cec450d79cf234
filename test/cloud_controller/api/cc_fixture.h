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
#include "cloud_controller/src/services/operations.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "common/http/server.h"
#include "common/json/json.h"
#include "common/pg/migrate.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/temp_dir.h"
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

// The platform that runs apps, as far as the API's own rules go: it records what it was
// asked. What Diego does with it is the integration tests' (cc_diego_test).
class RecordingRuntime final : public Runtime {
 public:
  std::vector<std::string> staged;  // build guids
  std::vector<std::string> synced;  // app guids
  bool refuse_staging = false;
  asio::awaitable<Status> stage(Build build) override {
    if (refuse_staging) co_return make_error(Errc::Unavailable, "the BBS is away");
    staged.push_back(build.guid);
    co_return Status{};
  }
  asio::awaitable<Status> sync_apps(std::vector<std::string> app_guids) override {
    synced.insert(synced.end(), app_guids.begin(), app_guids.end());
    co_return Status{};
  }
  asio::awaitable<Result<std::vector<InstanceReport>>> instances(Process p) override {
    std::vector<InstanceReport> out;
    for (std::int64_t i = 0; i < p.instances; ++i) {
      InstanceReport r;
      r.index = i;
      r.state = "STARTING";
      out.push_back(r);
    }
    co_return out;
  }
};

// Container metrics as a cell would have sent them: what the test sets, per app.
class FixedMetrics final : public ContainerMetrics {
 public:
  std::map<std::string, std::map<std::int64_t, InstanceUsage>> by_app;
  asio::awaitable<Result<std::map<std::int64_t, InstanceUsage>>> usage(
      std::string app_guid) override {
    co_return by_app[app_guid];
  }
};

inline bits::Blobstore open_test_blobstore(const std::filesystem::path& dir) {
  auto store = bits::Blobstore::open(dir);
  REQUIRE(store.ok());
  return std::move(*store);
}

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
        droplets_(pool_),
        routes_(pool_),
        quotas_(pool_),
        settings_(pool_),
        events_(pool_),
        buildpacks_(pool_),
        services_(pool_),
        brokers_(pool_, guids_),
        blobs_(open_test_blobstore(blob_dir_.path())),
        bits_(blobs_, bits_limits()),
        signer_("http://127.0.0.1:9022", std::string(64, 'k')),
        api_{db_,
             apps_,
             tokens,
             tokens,
             guids_,
             Urls{"https://api.test", "https://login.test", "https://uaa.test",
                  "https://log-cache.test"},
             logger_,
             droplets_,
             bits_,
             runtime,
             signer_,
             blocking_,
             clock_,
             routes_,
             quotas_,
             settings_,
             events_,
             buildpacks_,
             blobs_,
             metrics,
             services_,
             secrets_,
             brokers_,
             broker_http_,
             operations_} {
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
    blocking_.join();
  }

  // Brokers answer at once in tests: short polls, a short timeout.
  static ServiceTimings fast_service_timings() {
    ServiceTimings t;
    t.broker_timeout = std::chrono::milliseconds(1500);
    t.first_poll = std::chrono::milliseconds(50);
    t.poll_interval = std::chrono::milliseconds(200);
    t.max_polling = std::chrono::milliseconds(3000);
    return t;
  }
  ServiceOperations& operations() { return operations_; }

  // Small limits, so that the tests can pass them.
  static BitsLimits bits_limits() {
    BitsLimits l;
    l.unpack.max_total_bytes = 4 << 20;
    l.max_upload_bytes = 2 << 20;
    return l;
  }
  const UrlSigner& signer() const { return signer_; }
  AppBits& bits() { return bits_; }
  ApiContext& api() { return api_; }
  // Runs `task` on the API's event loop and waits for its result.
  template <class T>
  T run(asio::awaitable<T> task) {
    return asio::co_spawn(io_, std::move(task), asio::use_future).get();
  }
  unsigned short port() const { return server_->port(); }

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
  // A request with its own content type (uploads), and no token when `who` is "".
  http::Response send(http::Verb verb, const std::string& target, const std::string& who,
                      const std::string& content_type, std::string body) {
    http::test::BlockingClient client(server_->port());
    http::Request req{verb, target, 11};
    if (!who.empty()) req.set(http::bhttp::field::authorization, "bearer " + who);
    req.set(http::bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return client.request(std::move(req));
  }
  http::Response post(const std::string& target, const std::string& who, const std::string& body) {
    return call(http::Verb::post, target, who, body);
  }
  http::Response del(const std::string& target, const std::string& who) {
    return call(http::Verb::delete_, target, who);
  }

  FakeTokens tokens;
  RecordingRuntime runtime;
  FixedMetrics metrics;

 private:
  SystemClock clock_;
  log::Logger logger_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  pg::Pool pool_;
  TenancyDb db_;
  AppsDb apps_;
  DropletsDb droplets_;
  RoutesDb routes_;
  QuotasDb quotas_;
  SettingsDb settings_;
  EventsDb events_;
  BuildpacksDb buildpacks_;
  ServicesDb services_;
  BrokersDb brokers_;
  SecretBox secrets_{"a test secret"};
  http::Client broker_http_{io_.get_executor(), http::ClientOptions{}, logger_};
  ServiceOperations operations_{
      io_.get_executor(), db_,          services_, brokers_,
      secrets_,           broker_http_, logger_,   fast_service_timings()};
  testing::TempDir blob_dir_{"cc-blobs"};
  asio::thread_pool blocking_{1};
  bits::Blobstore blobs_;
  AppBits bits_;
  UrlSigner signer_;
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

// Gives the app a staged droplet as current, the way staging does: a package uploaded with
// no bits, a build, the droplet uploaded and the staging result reported through the signed
// internal links. Returns the droplet's guid.
inline std::string stage_droplet(CcFixture& cc, const std::string& app, const std::string& who) {
  auto pkg = body_of(cc.post(
      "/v3/packages", who,
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
  std::string package = pkg["guid"].GetString();
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n[]\r\n--b--\r\n";
  REQUIRE(cc.send(http::Verb::post, "/v3/packages/" + package + "/upload", who,
                  "multipart/form-data; boundary=b", body)
              .result() == http::StatusCode::ok);
  auto build =
      body_of(cc.post("/v3/builds", who, R"({"package": {"guid": ")" + package + R"("}})"));
  std::string build_guid = build["guid"].GetString();
  auto droplets = body_of(cc.get("/v3/droplets?app_guids=" + app + "&states=STAGING", who));
  REQUIRE(droplets["resources"].Size() >= 1);
  std::string droplet = droplets["resources"][0]["guid"].GetString();
  auto strip = [](const std::string& url) { return url.substr(url.find("/internal/")); };
  auto now = std::chrono::system_clock::now();
  REQUIRE(cc.send(http::Verb::post,
                  strip(cc.signer().sign("POST", "/internal/v4/droplets/" + droplet + "/upload",
                                         std::chrono::seconds(60), now)),
                  "", "application/octet-stream", "droplet bytes")
              .result() == http::StatusCode::created);
  REQUIRE(
      cc.send(http::Verb::post,
              strip(cc.signer().sign("POST", "/internal/v3/staging/" + build_guid + "/completed",
                                     std::chrono::seconds(60), now)),
              "", "application/json",
              R"({"task_guid": "t", "failed": false, "failure_reason": "", "result": )"
              R"("{\"process_types\": {\"web\": \"run\"}}"})")
          .result() == http::StatusCode::ok);
  REQUIRE(cc.call(http::Verb::patch, "/v3/apps/" + app + "/relationships/current_droplet", who,
                  R"({"data": {"guid": ")" + droplet + R"("}})")
              .result() == http::StatusCode::ok);
  return droplet;
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
