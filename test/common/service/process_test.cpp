// The process runner, run_main and SIGTERM handling, on a real server binary.

#include <csignal>

#include <catch2/catch.hpp>

#include "common/json/json.h"
#include "common/testing/process.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using namespace std::chrono_literals;
using cupola::testing::Process;
using cupola::testing::ProcessOptions;

namespace {

ProcessOptions echo_server(const cupola::testing::TempDir& dir, std::string_view config) {
  ProcessOptions o;
  o.path = cupola::testing::binary_path("cupola-test-echo-server");
  o.args = {"--config", dir.write_file("echo.json", config).string()};
  return o;
}

unsigned short listening_port(Process& p) {
  unsigned short port = 0;
  p.wait_for_line(
      [&](std::string_view line) {
        auto doc = json::parse(line);
        if (!doc || !doc->IsObject() || !doc->HasMember("message")) return false;
        if (std::string_view((*doc)["message"].GetString()) != "echo-server.http.listening") {
          return false;
        }
        port = static_cast<unsigned short>((*doc)["data"]["port"].GetInt());
        return true;
      },
      5s);
  return port;
}

}  // namespace

TEST_CASE("a server binary starts, serves, and exits cleanly on SIGTERM") {
  cupola::testing::TempDir dir;
  Process p(echo_server(dir, R"({"greeting": "hi"})"));
  REQUIRE(p.wait_for_message("echo-server.started", 10s));
  auto port = listening_port(p);
  REQUIRE(port != 0);

  http::test::BlockingClient client(port);
  auto res = client.get("/greet/world");
  CHECK(res.result() == http::StatusCode::ok);
  CHECK(res.body() == "hi world");

  p.signal(SIGTERM);
  auto status = p.wait(10s);
  REQUIRE(status.has_value());
  CHECK(*status == 0);
  CHECK(p.wait_for_message("echo-server.exited", 1s));
}

TEST_CASE("a bad config stops the binary with every problem listed") {
  cupola::testing::TempDir dir;
  Process p(echo_server(dir, R"({"listen_address": "nowhere", "log_level": "loud",
                                "greeting": ""})"));
  auto status = p.wait(10s);
  REQUIRE(status.has_value());
  CHECK(*status == 2);
  CHECK(p.wait_for_line([](std::string_view) { return false; }, 2s) == false);  // output complete
  auto out = p.output();
  CHECK(out.find("is not valid:") != std::string::npos);
  CHECK(out.find("listen_address: \"nowhere\" must be host:port") != std::string::npos);
  CHECK(out.find("log_level: must be debug, info, error or fatal") != std::string::npos);
  CHECK(out.find("greeting: must not be empty") != std::string::npos);
}

TEST_CASE("a port already in use fails the start with a clear message") {
  cupola::testing::TempDir dir;
  Process first(echo_server(dir, R"({})"));
  REQUIRE(first.wait_for_message("echo-server.started", 10s));
  auto port = listening_port(first);
  cupola::testing::TempDir dir2;
  Process second(
      echo_server(dir2, R"({"listen_address": "127.0.0.1:)" + std::to_string(port) + R"("})"));
  auto status = second.wait(10s);
  REQUIRE(status.has_value());
  CHECK(*status == 1);
  CHECK(second.wait_for_message("echo-server.start-failed", 2s));
  CHECK(second.output().find("cannot listen on 127.0.0.1:" + std::to_string(port)) !=
        std::string::npos);
}

TEST_CASE("Process reports output and exit status") {
  SECTION("exit codes and lines") {
    Process p({.path = "/bin/sh", .args = {"-c", "echo one; echo two >&2; exit 3"}});
    CHECK(p.wait(5s) == 3);
    CHECK(p.wait_for_line([](std::string_view l) { return l == "two"; }, 2s));
    CHECK(p.wait_for_line([](std::string_view l) { return l == "one"; }, 2s));
  }
  SECTION("stop sends SIGTERM") {
    Process p({.path = "sleep", .args = {"60"}});
    CHECK(p.running());
    CHECK(p.stop(5s) == 128 + SIGTERM);
    CHECK_FALSE(p.running());
  }
  SECTION("environment and working directory") {
    cupola::testing::TempDir dir;
    Process p({.path = "/bin/sh",
               .args = {"-c", "echo \"$CUPOLA_X $(pwd)\""},
               .env = {{"CUPOLA_X", "42"}},
               .working_dir = dir.path().string()});
    CHECK(p.wait(5s) == 0);
    std::string want = "42 " + dir.path().string();
    CHECK(p.wait_for_line([&](std::string_view l) { return l == want; }, 2s));
  }
  SECTION("a missing executable fails with 127 and says why") {
    Process p({.path = "/nonexistent/binary"});
    CHECK(p.wait(5s) == 127);
    CHECK(p.wait_for_line(
        [](std::string_view l) { return l.find("/nonexistent/binary") != std::string_view::npos; },
        2s));
  }
}

TEST_CASE("ComponentRunner starts a binary from a config and waits for its start line") {
  cupola::testing::ComponentRunner runner("cupola-test-echo-server", "echo-server",
                                          R"({"greeting": "hey"})");
  runner.start();
  CHECK(runner.running());
  auto port = listening_port(runner.process());
  http::test::BlockingClient client(port);
  CHECK(client.get("/greet/you").body() == "hey you");
  CHECK(runner.stop() == 0);

  SECTION("a binary that never starts is reported with its output") {
    cupola::testing::ComponentRunner bad("cupola-test-echo-server", "echo-server",
                                         R"({"greeting": 7})");
    try {
      bad.start(std::chrono::seconds(10));
      FAIL("start should have thrown");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("greeting: expected a string, got a number") !=
            std::string::npos);
    }
  }
}
