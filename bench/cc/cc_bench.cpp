// bench/cc: list and stats latency of cupola-cc with 10,000 apps in 100 spaces.
//
// A real Postgres and nats-server, the cupola-cc process, and a BBS and log store for the
// started app's stats. The tenants are written straight
// into ccdb (after the CC migrated it) so that seeding takes seconds; then 200 kept-alive
// requests per case over HTTP with a real token, timed from the client.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <thread>

#include "bench/common/cc_client.h"
#include "common/json/json.h"
#include "common/pg/pool.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"

using namespace cupola;
using Client = cupola::bench::CcClient;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr int kSpaces = 100;
constexpr int kAppsPerSpace = 100;
constexpr int kRequests = 200;

// Runs `sql` on the CC's database from a pool on its own thread.
void run_sql(const std::string& conninfo, const std::vector<std::string>& statements) {
  SystemClock clock;
  log::Logger logger(std::make_shared<log::MemorySink>(), clock, "bench");
  asio::io_context io;
  pg::Pool pool(io.get_executor(), pg::PoolOptions{.conninfo = conninfo}, logger);
  auto done = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (const auto& s : statements) {
          auto rows = co_await pool.query(s);
          if (!rows) throw std::runtime_error("seeding: " + rows.error().message);
        }
      },
      asio::use_future);
  io.run();
  done.get();
}

struct Timing {
  double p50 = 0, p99 = 0;
};

template <class F>
Timing time_requests(F request) {
  std::vector<double> ms;
  for (int i = 0; i < kRequests; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    request();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[static_cast<std::size_t>(0.99 * (ms.size() - 1))]};
}

}  // namespace

int main() {
  try {
    testing::NatsServer nats;
    auto& pg = testing::PostgresServer::shared();
    std::string conninfo = pg.conninfo(pg.fresh_database("ccbench"));
    testing::TempDir dir;
    unsigned short port = testing::free_tcp_port();
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    // The BBS the stats come from, and the log store with the container metrics.
    unsigned short bbs_port = testing::free_tcp_port();
    unsigned short logstore_port = testing::free_tcp_port();
    testing::ComponentRunner bbs(
        "cupola-bbs", "bbs",
        R"({"listen_address": "127.0.0.1:)" + std::to_string(bbs_port) + R"(", "database": ")" +
            pg.conninfo(pg.fresh_database("bbsbench")) + R"(", "nats_servers": [")" + nats.url() +
            R"("], "startup_timeout": "20s"})");
    bbs.start(60s);
    testing::ComponentRunner logstore(
        "cupola-logstore", "logstore",
        R"({"listen_address": "127.0.0.1:)" + std::to_string(logstore_port) +
            R"(", "nats_servers": [")" + nats.url() + R"("], "uaa_url": ")" + url +
            R"(", "cc_url": ")" + url + R"("})");
    logstore.start(60s);
    testing::ComponentRunner cc(
        "cupola-cc", "cc",
        R"({"listen_address": "127.0.0.1:)" + std::to_string(port) + R"(", "database": ")" +
            conninfo + R"(", "nats_servers": [")" + nats.url() + R"("], "api_url": ")" + url +
            R"(", "login_url": ")" + url + R"(", "uaa_url": ")" + url +
            R"(", "log_cache_url": "http://127.0.0.1:1", "token_signing_key_file": ")" +
            (dir.path() / "key.pem").string() + R"(", "bbs_url": "http://127.0.0.1:)" +
            std::to_string(bbs_port) + R"(", "log_cache_internal_url": "http://127.0.0.1:)" +
            std::to_string(logstore_port) +
            R"(", "bulk_sync_interval": "1s", "internal_secret_file": ")" +
            (dir.path() / "secret").string() + R"(", "blobstore_dir": ")" +
            (dir.path() / "blobs").string() +
            R"(", "admin_username": "admin", "admin_password": "bench-secret-1"})");
    cc.start(60s);

    Client client(port);
    std::string admin = client.login("admin", "bench-secret-1");
    // A developer who sees one space of the hundred.
    auto dev = client.call(bhttp::verb::post, "/Users", admin,
                           R"({"userName": "dev", "password": "dev-secret-1",
                               "emails": [{"value": "dev@example.com", "primary": true}]})");
    auto dev_doc = json::parse(dev.body());
    if (!dev_doc || !dev_doc->HasMember("id")) throw std::runtime_error("user: " + dev.body());
    std::string dev_guid = (*dev_doc)["id"].GetString();

    std::printf("cc bench: seeding %d apps in %d spaces...\n", kSpaces * kAppsPerSpace, kSpaces);
    auto n = std::to_string(kSpaces);
    auto per = std::to_string(kAppsPerSpace);
    run_sql(conninfo,
            {"INSERT INTO organizations (guid, name) VALUES ('bench-org', 'bench')",
             "INSERT INTO spaces (guid, name, organization_guid) SELECT 'space-' || i, 'space-' "
             "|| i, 'bench-org' FROM generate_series(1, " +
                 n + ") i",
             "INSERT INTO apps (guid, name, space_guid) SELECT 'app-' || s || '-' || a, 'app-' || "
             "a, 'space-' || s FROM generate_series(1, " +
                 n + ") s, generate_series(1, " + per + ") a",
             "INSERT INTO processes (guid, app_guid, type) SELECT 'proc-' || guid, guid, 'web' "
             "FROM apps",
             "UPDATE processes SET instances = 10, version = "
             "'00000000-0000-0000-0000-000000000001' WHERE guid = 'proc-app-1-1'",
             // The 10-instance app runs a staged droplet, so its stats come from the BBS.
             "INSERT INTO droplets (guid, app_guid, state, process_types, sha256) VALUES "
             "('bench-droplet', 'app-1-1', 'STAGED', '{\"web\": \"run\"}', 'x')",
             "UPDATE apps SET state = 'STARTED', droplet_guid = 'bench-droplet' WHERE guid = "
             "'app-1-1'",
             "INSERT INTO cc_users (guid) VALUES ('" + dev_guid + "')",
             "INSERT INTO roles (guid, type, user_guid, organization_guid) VALUES ('r1', "
             "'organization_user', '" +
                 dev_guid + "', 'bench-org')",
             "INSERT INTO roles (guid, type, user_guid, space_guid) VALUES ('r2', "
             "'space_developer', '" +
                 dev_guid + "', 'space-1')",
             "ANALYZE"});
    std::string developer = client.login("dev", "dev-secret-1");

    // The CC's bulk sync desires the started process; the BBS then holds its 10 instances.
    {
      Client to_bbs(bbs_port);
      bool desired = false;
      for (int i = 0; i < 100 && !desired; ++i) {
        auto res =
            to_bbs.call(bhttp::verb::post, "/v1/actual_lrps/list", "", R"({"domain": "cf-apps"})");
        auto doc = json::parse(res.body());
        desired = doc && doc->HasMember("actual_lrps") && (*doc)["actual_lrps"].Size() == 10;
        if (!desired) std::this_thread::sleep_for(100ms);  // bounded: 100 polls
      }
      if (!desired) throw std::runtime_error("the CC did not desire the started process");
    }

    auto check = [](const bhttp::response<bhttp::string_body>& res) {
      if (res.result_int() != 200) throw std::runtime_error("request: " + res.body());
    };
    auto admin_list =
        time_requests([&] { check(client.call(bhttp::verb::get, "/v3/apps?per_page=50", admin)); });
    auto dev_list = time_requests(
        [&] { check(client.call(bhttp::verb::get, "/v3/apps?per_page=50", developer)); });
    auto by_name = time_requests([&] {
      check(client.call(bhttp::verb::get, "/v3/apps?names=app-7&space_guids=space-42", admin));
    });
    auto stats = time_requests([&] {
      check(client.call(bhttp::verb::get, "/v3/processes/proc-app-1-1/stats", developer));
    });

    std::printf("\n%-30s %9s %9s\n", "case", "p50_ms", "p99_ms");
    auto row = [](const char* name, const Timing& t) {
      std::printf("%-30s %9.2f %9.2f\n", name, t.p50, t.p99);
    };
    row("apps per_page=50 (admin)", admin_list);
    row("apps per_page=50 (developer)", dev_list);
    row("apps by name and space", by_name);
    row("10-instance process stats", stats);
    std::printf(
        "(stats read 10 actual LRPs from the BBS and container metrics from the log "
        "store)\n");
    std::printf("BENCH name=cc case=list_apps_admin p50_ms=%.3f p99_ms=%.3f apps=%d\n",
                admin_list.p50, admin_list.p99, kSpaces * kAppsPerSpace);
    std::printf("BENCH name=cc case=list_apps_developer p50_ms=%.3f p99_ms=%.3f\n", dev_list.p50,
                dev_list.p99);
    std::printf("BENCH name=cc case=app_by_name p50_ms=%.3f p99_ms=%.3f\n", by_name.p50,
                by_name.p99);
    std::printf("BENCH name=cc case=process_stats p50_ms=%.3f p99_ms=%.3f instances=10\n",
                stats.p50, stats.p99);
    cc.stop();
    logstore.stop();
    bbs.stop();
  } catch (const std::exception& e) {
    std::printf("cc bench: %s\n", e.what());
  }
  return 0;
}
