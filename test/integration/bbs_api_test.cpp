// cupola-bbs end to end: the real binary on a real Postgres and nats-server.

#include <atomic>
#include <csignal>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "test/integration/bbs_fixture.h"

using namespace cupola;
using cupola::test::BbsProcess;
using cupola::test::desired_lrp_json;
using namespace std::chrono_literals;

namespace {

testing::NatsServer& shared_nats() {
  static testing::NatsServer nats;
  return nats;
}

std::string error_type(const json::Document& doc) {
  if (!doc.HasMember("error")) return "";
  return doc["error"]["type"].GetString();
}

std::string start_body(const std::string& guid, int index, const std::string& cell) {
  return R"({"actual_lrp_key": {"process_guid": ")" + guid + R"(", "index": )" +
         std::to_string(index) + R"(, "domain": "cf-apps"}, "actual_lrp_instance_key":
         {"instance_guid": "ig-)" +
         cell + R"(", "cell_id": ")" + cell +
         R"("}, "actual_lrp_net_info": {"address": "10.0.0.7", "ports":
         [{"container_port": 8080, "host_port": 61001}]}})";
}

}  // namespace

TEST_CASE("the BBS API end to end") {
  BbsProcess bbs(shared_nats());
  auto desire = bbs.post("/v1/desired_lrps/desire", desired_lrp_json("app-1", 2));
  REQUIRE(desire.result() == http::StatusCode::ok);

  auto list = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": "app-1"})");
  REQUIRE(list["actual_lrps"].Size() == 2);
  CHECK(std::string(list["actual_lrps"][0]["state"].GetString()) == "UNCLAIMED");

  auto claim = bbs.post("/v1/actual_lrps/claim", R"({"process_guid": "app-1", "index": 0,
      "actual_lrp_instance_key": {"instance_guid": "ig-cell-1", "cell_id": "cell-1"}})");
  CHECK(claim.result() == http::StatusCode::ok);
  auto start = bbs.post("/v1/actual_lrps/start", start_body("app-1", 0, "cell-1"));
  CHECK(start.result() == http::StatusCode::ok);
  auto running = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": "app-1", "index": 0})");
  REQUIRE(running["actual_lrps"].Size() == 1);
  CHECK(std::string(running["actual_lrps"][0]["state"].GetString()) == "RUNNING");
  CHECK(std::string(running["actual_lrps"][0]["address"].GetString()) == "10.0.0.7");
  CHECK(running["actual_lrps"][0]["ports"][0]["host_port"].GetInt() == 61001);

  SECTION("compare-and-set: another cell cannot claim or start what cell-1 holds") {
    auto steal = bbs.post_json("/v1/actual_lrps/claim", R"({"process_guid": "app-1", "index": 0,
        "actual_lrp_instance_key": {"instance_guid": "ig-cell-2", "cell_id": "cell-2"}})");
    CHECK(error_type(steal) == "ActualLRPCannotBeClaimed");
    auto start2 = bbs.post("/v1/actual_lrps/start", start_body("app-1", 0, "cell-2"));
    CHECK(start2.result() == http::StatusCode::conflict);
  }
  SECTION("scaling and removing") {
    auto update = bbs.post("/v1/desired_lrps/update",
                           R"({"process_guid": "app-1", "update": {"instances": 3}})");
    CHECK(update.result() == http::StatusCode::ok);
    auto desired =
        bbs.post_json("/v1/desired_lrps/get_by_process_guid", R"({"process_guid": "app-1"})");
    CHECK(desired["desired_lrp"]["instances"].GetInt() == 3);
    CHECK(bbs.post_json("/v1/actual_lrps/list", "{}")["actual_lrps"].Size() == 3);
    CHECK(bbs.post("/v1/desired_lrps/remove", R"({"process_guid": "app-1"})").result() ==
          http::StatusCode::ok);
    auto gone = bbs.post("/v1/desired_lrps/get_by_process_guid", R"({"process_guid": "app-1"})");
    CHECK(gone.result() == http::StatusCode::not_found);
    // The running instance waits for its rep to stop it; the others are gone.
    CHECK(bbs.post_json("/v1/actual_lrps/list", "{}")["actual_lrps"].Size() == 1);
  }
}

TEST_CASE("bad input gets 400 naming the field, and nothing is stored") {
  BbsProcess bbs(shared_nats());
  auto malformed = bbs.post("/v1/desired_lrps/desire", R"({"desired_lrp": {)");
  CHECK(malformed.result() == http::StatusCode::bad_request);
  auto typed = bbs.post_json("/v1/desired_lrps/desire",
                             R"({"desired_lrp": {"process_guid": "a", "domain": "d",
                                 "rootfs": "x:y", "instances": "two", "action": {}}})");
  CHECK(error_type(typed) == "InvalidRequest");
  CHECK(std::string(typed["error"]["message"].GetString()).find("desired_lrp.instances") !=
        std::string::npos);
  auto negative = bbs.post_json("/v1/desired_lrps/desire", desired_lrp_json("neg", -1));
  CHECK(std::string(negative["error"]["message"].GetString()) == "Invalid field: instances");
  auto huge = bbs.post("/v1/desired_lrps/desire", std::string(2 << 20, ' '));
  CHECK(huge.result() == http::StatusCode::payload_too_large);
  CHECK(error_type(*json::parse(huge.body())) == "InvalidRequest");
  auto unknown = bbs.post("/v1/nothing", "{}");
  CHECK(unknown.result() == http::StatusCode::not_found);
  CHECK(error_type(*json::parse(unknown.body())) == "ResourceNotFound");
  CHECK(bbs.post_json("/v1/desired_lrps/list", "{}")["desired_lrps"].Size() == 0);
  CHECK(bbs.post_json("/v1/actual_lrps/list", "{}")["actual_lrps"].Size() == 0);
}

TEST_CASE("of two concurrent starts of one task exactly one wins") {
  BbsProcess bbs(shared_nats());
  constexpr int kTasks = 20;
  for (int i = 0; i < kTasks; ++i) {
    auto res = bbs.post("/v1/tasks/desire", R"({"task_guid": "task-)" + std::to_string(i) +
                                                R"(", "domain": "cf-tasks", "task_definition":
        {"rootfs": "preloaded:cupolafs", "action": {"run": {"path": "/bin/true"}}}})");
    REQUIRE(res.result() == http::StatusCode::ok);
  }
  std::atomic<int> winners{0}, losers{0};
  for (int i = 0; i < kTasks; ++i) {
    std::vector<std::thread> cells;
    for (int c = 0; c < 2; ++c) {
      cells.emplace_back([&, i, c] {
        auto doc = bbs.post_json("/v1/tasks/start", R"({"task_guid": "task-)" + std::to_string(i) +
                                                        R"(", "cell_id":
            "cell-)" + std::to_string(c) + R"("})");
        if (doc.HasMember("should_start") && doc["should_start"].GetBool()) {
          ++winners;
        } else if (error_type(doc) == "InvalidStateTransition") {
          ++losers;
        }
      });
    }
    for (auto& t : cells) t.join();
  }
  CHECK(winners == kTasks);
  CHECK(losers == kTasks);
}

TEST_CASE("events arrive in order on the stream") {
  BbsProcess bbs(shared_nats());
  http::test::BlockingClient stream(bbs.port());
  stream.send_raw("GET /v1/events HTTP/1.1\r\nHost: bbs\r\n\r\n");
  // Read the head, then the event frames as they come.
  http::bhttp::response_parser<http::bhttp::empty_body> head;
  http::bhttp::read_header(stream.socket(), stream.buffer(), head);
  REQUIRE(head.get().result() == http::StatusCode::ok);
  // The subscription exists once the head is out; changes after it are streamed.
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp_json("app-ev", 1)).result() ==
          http::StatusCode::ok);
  REQUIRE(bbs.post("/v1/actual_lrps/claim", R"({"process_guid": "app-ev", "index": 0,
      "actual_lrp_instance_key": {"instance_guid": "ig-cell-1", "cell_id": "cell-1"}})")
              .result() == http::StatusCode::ok);
  REQUIRE(bbs.post("/v1/actual_lrps/start", start_body("app-ev", 0, "cell-1")).result() ==
          http::StatusCode::ok);

  std::vector<std::string> types;
  std::string raw(static_cast<const char*>(stream.buffer().data().data()), stream.buffer().size());
  auto deadline = std::chrono::steady_clock::now() + 10s;
  auto events_seen = [&] {
    std::size_t n = 0;
    for (auto p = raw.find("event: "); p != std::string::npos; p = raw.find("event: ", p + 1)) ++n;
    return n;
  };
  // Four events, each whole (its data line ends the frame).
  while ((events_seen() < 4 || raw.find("\n\n", raw.rfind("event: ")) == std::string::npos) &&
         std::chrono::steady_clock::now() < deadline) {
    char buf[4096];
    boost::system::error_code ec;
    auto n = stream.socket().read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    raw.append(buf, n);
  }
  std::size_t pos = 0;
  while ((pos = raw.find("event: ", pos)) != std::string::npos) {
    auto end = raw.find('\n', pos);
    types.push_back(raw.substr(pos + 7, end - pos - 7));
    pos = end;
  }
  CHECK(types == std::vector<std::string>{"desired_lrp_created", "actual_lrp_created",
                                          "actual_lrp_changed", "actual_lrp_changed"});
  CHECK(raw.find("\"state\":\"RUNNING\"") != std::string::npos);
}

TEST_CASE("kill -9 mid-write loses no acknowledged record") {
  BbsProcess bbs(shared_nats());
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> acknowledged_count{0};
  std::vector<std::string> acknowledged;  // written by the writer until it is joined
  std::thread writer([&] {
    for (int i = 0; i < 2000 && !stop; ++i) {
      std::string guid = "app-" + std::to_string(i);
      try {
        auto res = bbs.post("/v1/desired_lrps/desire", desired_lrp_json(guid, 3));
        if (res.result() == http::StatusCode::ok) {
          acknowledged.push_back(guid);
          ++acknowledged_count;
        }
      } catch (const std::exception&) {
        break;  // the BBS is gone
      }
    }
  });
  // Kill it while desires are in flight.
  for (int i = 0; i < 1000 && acknowledged_count < 30; ++i) std::this_thread::sleep_for(5ms);
  bbs.kill();
  stop = true;
  writer.join();
  REQUIRE(acknowledged.size() >= 30);

  bbs.start();
  auto desired = bbs.post_json("/v1/desired_lrps/list", "{}");
  std::set<std::string> stored;
  for (const auto& d : desired["desired_lrps"].GetArray())
    stored.insert(d["process_guid"].GetString());
  for (const auto& guid : acknowledged) CHECK(stored.count(guid) == 1);
  // A desire is one transaction: every stored desired LRP has all its instances.
  auto actual = bbs.post_json("/v1/actual_lrps/list", "{}");
  CHECK(actual["actual_lrps"].Size() == 3 * stored.size());
}

TEST_CASE("a cell that stops heartbeating has its instances replaced") {
  BbsProcess bbs(shared_nats(), R"("converge_interval": "1s", "cell_check_interval": "100ms")");
  REQUIRE(bbs.post("/v1/cells/heartbeat", R"({"ttl_seconds": 1, "cell_presence": {
      "cell_id": "cell-1", "rep_address": "nats", "zone": "z1",
      "capacity": {"memory_mb": 4096, "disk_mb": 8192, "containers": 50}}})")
              .result() == http::StatusCode::ok);
  CHECK(bbs.post_json("/v1/cells/list", "{}")["cells"].Size() == 1);
  REQUIRE(bbs.post("/v1/desired_lrps/desire", desired_lrp_json("app-cell", 1)).result() ==
          http::StatusCode::ok);
  REQUIRE(bbs.post("/v1/actual_lrps/claim", R"({"process_guid": "app-cell", "index": 0,
      "actual_lrp_instance_key": {"instance_guid": "ig-cell-1", "cell_id": "cell-1"}})")
              .result() == http::StatusCode::ok);
  REQUIRE(bbs.post("/v1/actual_lrps/start", start_body("app-cell", 0, "cell-1")).result() ==
          http::StatusCode::ok);

  // No more heartbeats: within a few seconds the instance is SUSPECT and has a replacement.
  std::vector<std::string> seen;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto list = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": "app-cell"})");
    seen.clear();
    for (const auto& a : list["actual_lrps"].GetArray()) {
      seen.push_back(std::string(a["presence"].GetString()) + "/" + a["state"].GetString());
    }
    if (seen.size() == 2) break;
    std::this_thread::sleep_for(100ms);
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::string>{"ORDINARY/UNCLAIMED", "SUSPECT/RUNNING"});
  CHECK(bbs.post_json("/v1/cells/list", "{}")["cells"].Size() == 0);

  SECTION("the replacement running elsewhere removes the suspect") {
    // cell-2 is alive for the rest of the test, so convergence leaves its instance be.
    REQUIRE(bbs.post("/v1/cells/heartbeat", R"({"ttl_seconds": 60, "cell_presence": {
        "cell_id": "cell-2", "rep_address": "nats", "zone": "z1",
        "capacity": {"memory_mb": 4096, "disk_mb": 8192, "containers": 50}}})")
                .result() == http::StatusCode::ok);
    REQUIRE(bbs.post("/v1/actual_lrps/claim", R"({"process_guid": "app-cell", "index": 0,
        "actual_lrp_instance_key": {"instance_guid": "ig-cell-2", "cell_id": "cell-2"}})")
                .result() == http::StatusCode::ok);
    REQUIRE(bbs.post("/v1/actual_lrps/start", start_body("app-cell", 0, "cell-2")).result() ==
            http::StatusCode::ok);
    auto list = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": "app-cell"})");
    REQUIRE(list["actual_lrps"].Size() == 1);
    CHECK(std::string(list["actual_lrps"][0]["cell_id"].GetString()) == "cell-2");
  }
}
