// cupola-route-emitter end to end: a real BBS and nats-server; the test plays the router
// (it records router.register / router.unregister and answers router.greet) and the rep
// (it claims and starts actual LRPs through the BBS API).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>

#include "common/core/clock.h"
#include "common/nats/client.h"
#include "test/integration/bbs_fixture.h"
#include "test/integration/nats_peer.h"

using namespace cupola;
using namespace cupola::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// A router's side of NATS: every router.* message, and answers to router.greet.
class FakeRouter {
 public:
  FakeRouter(const std::string& url, int interval_seconds) : peer_(url, "fake-router") {
    peer_.subscribe("router.*", [this](nats::Message m) {
      std::lock_guard lock(mu_);
      messages_.push_back(std::move(m));
    });
    peer_.subscribe("router.greet", [this, interval_seconds](nats::Message m) {
      peer_.respond(m, greeting(interval_seconds));
    });
  }

  static std::string greeting(int interval_seconds) {
    return R"({"id": "fake-router", "hosts": ["127.0.0.1"], "minimumRegisterIntervalInSeconds": )" +
           std::to_string(interval_seconds) + R"(, "pruneThresholdInSeconds": 120})";
  }
  void publish(const std::string& subject, const std::string& data) {
    peer_.publish(subject, data);
  }
  // Messages on `subject` whose JSON mentions `needle`.
  int count(const std::string& subject, const std::string& needle) {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& m : messages_) {
      if (m.subject == subject && m.data.find(needle) != std::string::npos) ++n;
    }
    return n;
  }
  std::string last(const std::string& subject) {
    std::lock_guard lock(mu_);
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it) {
      if (it->subject == subject) return it->data;
    }
    return "";
  }

 private:
  std::mutex mu_;
  std::vector<nats::Message> messages_;
  test::NatsPeer peer_;  // last: its thread stops first
};

template <class F>
bool eventually(F done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(50ms);  // polling interval; the deadline bounds the wait
  }
  return done();
}

void run_instance(BbsProcess& bbs, const std::string& guid, int index, const std::string& instance,
                  int host_port) {
  REQUIRE(bbs.post("/v1/actual_lrps/claim",
                   R"({"process_guid": ")" + guid + R"(", "index": )" + std::to_string(index) +
                       R"(, "actual_lrp_instance_key": {"instance_guid": ")" + instance +
                       R"(", "cell_id": "cell-1"}})")
              .result() == http::StatusCode::ok);
  REQUIRE(bbs.post("/v1/actual_lrps/start",
                   R"({"actual_lrp_key": {"process_guid": ")" + guid + R"(", "index": )" +
                       std::to_string(index) +
                       R"(, "domain": "cf-apps"}, "actual_lrp_instance_key": {"instance_guid": ")" +
                       instance + R"(", "cell_id": "cell-1"}, "actual_lrp_net_info": {"address":
                       "10.0.0.7", "ports": [{"container_port": 8080, "host_port": )" +
                       std::to_string(host_port) + "}]}}")
              .result() == http::StatusCode::ok);
}

}  // namespace

TEST_CASE("the route emitter registers running instances and follows every change") {
  testing::NatsServer nats;
  BbsProcess bbs(nats);
  FakeRouter router(nats.url(), 1);
  // An instance that runs before the emitter starts is found by its first sync.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", R"({"desired_lrp": {"process_guid": "web",
      "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": 2, "memory_mb": 64,
      "log_guid": "app-guid-1", "ports": [8080],
      "routes": {"cf-router": [{"hostnames": ["web.apps.example.com"], "port": 8080}]},
      "action": {"run": {"path": "/bin/true", "user": "vcap"}}}})")
              .result() == http::StatusCode::ok);
  run_instance(bbs, "web", 0, "inst-0", 61001);

  testing::ComponentRunner emitter(
      "cupola-route-emitter", "route-emitter",
      R"({"listen_address": "127.0.0.1:0", "bbs_url": "http://127.0.0.1:)" +
          std::to_string(bbs.port()) + R"(", "nats_servers": [")" + nats.url() +
          R"("], "register_interval": "20s", "sync_interval": "60s"})");
  emitter.start();
  REQUIRE(eventually([&] { return router.count("router.register", "inst-0") >= 1; }, 10s));
  auto first = json::parse(router.last("router.register"));
  REQUIRE(first.ok());
  CHECK(std::string((*first)["host"].GetString()) == "10.0.0.7");
  CHECK((*first)["port"].GetUint() == 61001);
  CHECK(std::string((*first)["uris"][0].GetString()) == "web.apps.example.com");
  CHECK(std::string((*first)["app"].GetString()) == "app-guid-1");
  CHECK(std::string((*first)["private_instance_index"].GetString()) == "0");

  // The router's greeting asked for a register interval of 1 s: every route comes again.
  int before = router.count("router.register", "inst-0");
  CHECK(eventually([&] { return router.count("router.register", "inst-0") >= before + 2; }, 5s));

  // Events: a second instance starts, the first is removed, the app is removed.
  run_instance(bbs, "web", 1, "inst-1", 61002);
  CHECK(eventually([&] { return router.count("router.register", "inst-1") >= 1; }, 5s));
  REQUIRE(bbs.post("/v1/actual_lrps/remove", R"({"process_guid": "web", "index": 0,
      "actual_lrp_instance_key": {"instance_guid": "inst-0", "cell_id": "cell-1"}})")
              .result() == http::StatusCode::ok);
  CHECK(eventually([&] { return router.count("router.unregister", "inst-0") >= 1; }, 5s));

  // A router that starts is sent every route at once.
  int registered = router.count("router.register", "inst-1");
  router.publish("router.start", FakeRouter::greeting(1));
  CHECK(eventually([&] { return router.count("router.register", "inst-1") > registered; }, 2s));

  REQUIRE(bbs.post("/v1/desired_lrps/remove", R"({"process_guid": "web"})").result() ==
          http::StatusCode::ok);
  CHECK(eventually([&] { return router.count("router.unregister", "inst-1") >= 1; }, 5s));
  CHECK(emitter.stop() == 0);
}
