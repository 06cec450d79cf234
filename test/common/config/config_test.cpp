#include "common/config/config.h"

#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace std::chrono_literals;

namespace {

struct ExampleConfig {
  std::string listen_address = "127.0.0.1:8889";
  std::string log_level = "info";
  std::chrono::milliseconds convergence_interval = 30s;
  int max_connections = 100;
  struct {
    std::string url;
    int pool_size = 4;
  } database;

  void read(json::ObjectReader& r) {
    r.optional("listen_address", listen_address);
    r.optional("log_level", log_level);
    r.optional("convergence_interval", convergence_interval);
    r.optional("max_connections", max_connections);
    auto db = r.object("database", true);
    db.required("url", database.url);
    db.optional("pool_size", database.pool_size);
  }
  void validate(std::vector<std::string>& problems) const {
    if (auto hp = config::parse_host_port(listen_address); !hp) {
      problems.push_back("listen_address: " + hp.error().message);
    }
    if (max_connections < 1) problems.push_back("max_connections: must be at least 1");
    if (database.pool_size < 1) problems.push_back("database.pool_size: must be at least 1");
  }
};

std::vector<const char*> argv_of(std::initializer_list<const char*> args) { return {args}; }

}  // namespace

TEST_CASE("command lines") {
  SECTION("--config and --set") {
    auto argv = argv_of({"cupola-bbs", "--config", "bbs.json", "--set", "a.b=1", "--set=c=x"});
    auto cl = config::parse_command_line(static_cast<int>(argv.size()), argv.data());
    REQUIRE(cl.ok());
    CHECK(cl->config_path == "bbs.json");
    CHECK(cl->overrides == std::vector<std::string>{"a.b=1", "c=x"});
  }
  SECTION("missing --config is an error that says what to do") {
    auto argv = argv_of({"cupola-bbs"});
    auto cl = config::parse_command_line(1, argv.data());
    REQUIRE_FALSE(cl.ok());
    CHECK(cl.error().message == "missing --config FILE (see --help)");
  }
  SECTION("unknown flags are rejected") {
    auto argv = argv_of({"cupola-bbs", "--config", "x", "--verbose"});
    CHECK_FALSE(config::parse_command_line(4, argv.data()).ok());
  }
  SECTION("--help needs no config") {
    auto argv = argv_of({"cupola-bbs", "--help"});
    auto cl = config::parse_command_line(2, argv.data());
    REQUIRE(cl.ok());
    CHECK(cl->help);
    CHECK(config::usage("cupola-bbs").find("--config FILE") != std::string::npos);
  }
}

TEST_CASE("loading a config file") {
  testing::TempDir dir;
  config::CommandLine cl;

  SECTION("defaults fill what the file leaves out, durations are strings") {
    cl.config_path = dir.write_file("c.json", R"({"database": {"url": "postgres://x"},
                                                 "convergence_interval": "5s"})");
    auto c = config::load<ExampleConfig>(cl);
    REQUIRE(c.ok());
    CHECK(c->listen_address == "127.0.0.1:8889");
    CHECK(c->convergence_interval == 5s);
    CHECK(c->database.url == "postgres://x");
    CHECK(c->database.pool_size == 4);
  }

  SECTION("every problem is reported at once") {
    cl.config_path = dir.write_file("c.json", R"({"listen_address": "nowhere",
      "max_connections": 0, "convergence_interval": "soon", "database": {"pool_size": "many"}})");
    auto c = config::load<ExampleConfig>(cl);
    REQUIRE_FALSE(c.ok());
    const auto& msg = c.error().message;
    CHECK(msg.find("is not valid:") != std::string::npos);
    CHECK(msg.find("convergence_interval: invalid duration \"soon\"") != std::string::npos);
    CHECK(msg.find("database.url: is required") != std::string::npos);
    CHECK(msg.find("database.pool_size: expected an integer, got a string") != std::string::npos);
    CHECK(msg.find("listen_address: \"nowhere\" must be host:port") != std::string::npos);
    CHECK(msg.find("max_connections: must be at least 1") != std::string::npos);
  }

  SECTION("overrides replace and create fields") {
    cl.config_path = dir.write_file("c.json", R"({"database": {"url": "a"}})");
    cl.overrides = {"database.url=b", "max_connections=7", "log_level=debug"};
    auto c = config::load<ExampleConfig>(cl);
    REQUIRE(c.ok());
    CHECK(c->database.url == "b");
    CHECK(c->max_connections == 7);
    CHECK(c->log_level == "debug");
  }

  SECTION("a missing file or broken JSON names the file") {
    cl.config_path = (dir / "absent.json").string();
    auto c = config::load<ExampleConfig>(cl);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().message.find("absent.json") != std::string::npos);
    cl.config_path = dir.write_file("broken.json", "{\"a\": ");
    auto b = config::load<ExampleConfig>(cl);
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().message.find("broken.json: invalid JSON") != std::string::npos);
  }
}

TEST_CASE("host:port") {
  CHECK(config::parse_host_port("127.0.0.1:80")->port == 80);
  CHECK(config::parse_host_port("[::1]:443")->host == "::1");
  CHECK(config::parse_host_port(":9022")->host == "0.0.0.0");
  CHECK_FALSE(config::parse_host_port("localhost").ok());
  CHECK_FALSE(config::parse_host_port("localhost:99999").ok());
  CHECK_FALSE(config::parse_host_port("localhost:http").ok());
}
