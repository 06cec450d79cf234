// cupola-auctioneer end to end: a real cupola-bbs (posting start requests to the auctioneer), a
// real nats-server, and fake reps in this process answering the auction subjects on NATS.

#include <memory>
#include <thread>

#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"
#include "test/integration/bbs_fixture.h"
#include "test/integration/fake_reps.h"

using namespace cupola;
using cupola::test::BbsProcess;
using cupola::test::desired_lrp;
using cupola::test::FakeReps;
using cupola::test::FakeRepSpec;
using cupola::test::heartbeat;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// The placement error of (guid, index) once the BBS has one, polling until `timeout`.
std::string wait_for_placement_error(BbsProcess& bbs, const std::string& guid,
                                     std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": ")" + guid + R"("})");
    if (list.HasMember("actual_lrps") && list["actual_lrps"].Size() == 1 &&
        list["actual_lrps"][0].HasMember("placement_error")) {
      return list["actual_lrps"][0]["placement_error"].GetString();
    }
    std::this_thread::sleep_for(50ms);  // polling interval; the deadline bounds the wait
  }
  return "";
}

// The value published with the BBS lock "auctioneer" once it equals `want` (any holder's
// when `want` is empty), polling until `timeout`; "" when it never did.
std::string wait_for_auctioneer_lock(BbsProcess& bbs, const std::string& want,
                                     std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = bbs.post("/v1/locks/get", R"({"key": "auctioneer"})");
    if (res.result() == http::StatusCode::ok) {
      auto doc = json::parse(res.body());
      if (doc && doc->HasMember("lock")) {
        std::string value = (*doc)["lock"]["value"].GetString();
        if (want.empty() || value == want) return value;
      }
    }
    std::this_thread::sleep_for(50ms);  // polling interval; the deadline bounds the wait
  }
  return "";
}

std::string auctioneer_config(unsigned short port, const BbsProcess& bbs,
                              const testing::NatsServer& nats, const std::string& extra = "") {
  return R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
         R"(", "bbs_url": "http://127.0.0.1:)" + std::to_string(bbs.port()) +
         R"(", "nats_servers": [")" + nats.url() +
         R"("], "batch_window": "100ms", "rep_timeout": "500ms", "startup_timeout": "20s")" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

http::Response post_lrp(unsigned short port, const std::string& guid) {
  http::test::BlockingClient client(port);
  http::Request req{http::Verb::post, "/v1/lrps", 11};
  req.set(http::bhttp::field::content_type, "application/json");
  req.body() = R"({"lrps": [{"process_guid": ")" + guid +
               R"(", "index": 0, "domain": "cf-apps", "memory_mb": 128, "disk_mb": 64,
               "max_pids": 0, "root_fs": "preloaded:cupolafs", "placement_tags": []}]})";
  return client.request(std::move(req));
}

}  // namespace

TEST_CASE("the auctioneer places a BBS's start requests on the reps") {
  testing::NatsServer nats;
  auto auctioneer_port = testing::free_tcp_port();
  BbsProcess bbs(
      nats, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port) + "\"");
  testing::ComponentRunner auctioneer("cupola-auctioneer", "auctioneer",
                                      auctioneer_config(auctioneer_port, bbs, nats));
  auctioneer.start();
  REQUIRE(wait_for_auctioneer_lock(bbs, "http://127.0.0.1:" + std::to_string(auctioneer_port),
                                   20s) != "");

  FakeReps reps(nats.url());
  std::vector<FakeRepSpec> specs{{"rep-1", 128 * 40, 40},
                                 {"rep-2", 128 * 40, 40},
                                 {"rep-3", 128 * 30, 30},
                                 {"rep-silent", 1 << 20, 1000, true}};
  for (const auto& s : specs) {
    reps.add(s);
    heartbeat(bbs, s);
  }

  // 100 instances over 110 containers, with a registered rep that never answers.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-100", 100, 128)).result() ==
          http::StatusCode::ok);
  bool all = reps.wait([&] { return reps.total_taken_locked("app-100/") == 100; }, 20s);
  auto taken = reps.taken();
  INFO("rep-1 " << taken["rep-1"].size() << ", rep-2 " << taken["rep-2"].size() << ", rep-3 "
                << taken["rep-3"].size());
  REQUIRE(all);
  std::set<std::string> every;
  for (const auto& [id, instances] : taken) every.insert(instances.begin(), instances.end());
  CHECK(every.size() == 100);
  CHECK(taken["rep-1"].size() <= 40);
  CHECK(taken["rep-2"].size() <= 40);
  CHECK(taken["rep-3"].size() <= 30);
  CHECK(reps.memory_used("rep-1") <= 128 * 40);
  CHECK(reps.memory_used("rep-3") <= 128 * 30);
  // The silent rep was asked for its state and skipped.
  CHECK(reps.state_requests("rep-silent") >= 1);
  CHECK(reps.offered("rep-silent").empty());
  CHECK(taken["rep-silent"].empty());

  // An empty rep wins the next instance and refuses it: another rep takes it.
  FakeRepSpec picky{"rep-picky", 128 * 100, 100, false, {"app-refused"}};
  reps.add(picky);
  heartbeat(bbs, picky);
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-refused", 1, 128)).result() ==
          http::StatusCode::ok);
  REQUIRE(reps.wait([&] { return reps.total_taken_locked("app-refused/") == 1; }, 20s));
  CHECK(reps.offered("rep-picky").contains("app-refused/0"));
  CHECK(reps.taken()["rep-picky"].empty());

  // Too big for every rep: the BBS records why.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-big", 1, 1 << 16)).result() ==
          http::StatusCode::ok);
  CHECK(wait_for_placement_error(bbs, "app-big", 20s) == "insufficient resources: memory");

  SECTION("a malformed start request gets 400 naming the problem") {
    http::test::BlockingClient client(auctioneer_port);
    http::Request req{http::Verb::post, "/v1/lrps", 11};
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = R"({"lrps": [{"index": -1}]})";
    auto res = client.request(std::move(req));
    CHECK(res.result() == http::StatusCode::bad_request);
    CHECK(res.body().find("process_guid: is required") != std::string::npos);
    CHECK(res.body().find("InvalidRequest") != std::string::npos);
  }
}

TEST_CASE("two auctioneers: only the lock holder auctions, and the other takes over") {
  testing::NatsServer nats;
  BbsProcess bbs(nats, R"("discover_auctioneer": true)");
  const std::string lock_timing =
      R"("lock_ttl": "3s", "lock_refresh_interval": "500ms", "lock_retry_interval": "200ms")";
  auto port_a = testing::free_tcp_port();
  auto port_b = testing::free_tcp_port();
  const std::string url_a = "http://127.0.0.1:" + std::to_string(port_a);
  const std::string url_b = "http://127.0.0.1:" + std::to_string(port_b);
  testing::ComponentRunner a("cupola-auctioneer", "auctioneer",
                             auctioneer_config(port_a, bbs, nats, lock_timing));
  a.start();
  REQUIRE(wait_for_auctioneer_lock(bbs, url_a, 20s) == url_a);
  testing::ComponentRunner b("cupola-auctioneer", "auctioneer",
                             auctioneer_config(port_b, bbs, nats, lock_timing));
  b.start();

  FakeReps reps(nats.url());
  FakeRepSpec rep{"rep-1", 128 * 40, 40};
  reps.add(rep);
  heartbeat(bbs, rep);

  // The passive one refuses work and names the active one.
  std::string passive_body;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = post_lrp(port_b, "app-direct");
    REQUIRE(res.result() == http::StatusCode::service_unavailable);
    passive_body = res.body();
    if (passive_body.find(url_a) != std::string::npos) break;
    std::this_thread::sleep_for(50ms);  // until b has learned the holder's URL
  }
  CHECK(passive_body.find("ServiceUnavailable") != std::string::npos);
  CHECK(passive_body.find("this auctioneer is passive; the active one is " + url_a) !=
        std::string::npos);

  // The BBS finds the active one through the lock, and only it places the work.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp("app-1", 2, 128)).result() ==
          http::StatusCode::ok);
  REQUIRE(reps.wait([&] { return reps.total_taken_locked("app-1/") == 2; }, 20s));
  CHECK(b.process().output().find("batcher.batch-dropped") == std::string::npos);
  CHECK(reps.taken()["rep-1"].count("app-direct/0") == 0);

  // Killed without releasing: the lock lapses after its TTL and b takes it.
  a.kill();
  auto killed = std::chrono::steady_clock::now();
  REQUIRE(wait_for_auctioneer_lock(bbs, url_b, 10s) == url_b);
  CHECK(std::chrono::steady_clock::now() - killed < 3s + 500ms + 1s);
  CHECK(post_lrp(port_b, "app-direct").result() == http::StatusCode::accepted);

  // New work reaches b. A request that went to the dead one's cached URL is lost (convergence
  // would send it again), so desire until one lands.
  bool placed = false;
  for (int i = 0; i < 20 && !placed; ++i) {
    auto guid = "app-2-" + std::to_string(i);
    REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp(guid, 1, 128)).result() ==
            http::StatusCode::ok);
    placed = reps.wait([&] { return reps.total_taken_locked("app-2-") >= 1; }, 1s);
  }
  CHECK(placed);
  CHECK(reps.wait([&] { return reps.total_taken_locked("app-direct/") == 1; }, 10s));
}
