#include "diego/rep/src/config.h"

#include <catch2/catch.hpp>

#include "common/config/config.h"

using namespace cupola;
using namespace cupola::rep;

TEST_CASE("a rep config needs a cell id and a depot, and names every problem") {
  RepConfig c;
  c.heartbeat_interval = std::chrono::seconds(20);
  c.backend = "docker";
  c.first_port = 70000;
  std::vector<std::string> problems;
  c.validate(problems);
  auto has = [&](std::string_view p) {
    for (const auto& x : problems) {
      if (x.starts_with(p)) return true;
    }
    return false;
  };
  CHECK(has("cell_id: is required"));
  CHECK(has("depot_dir: is required"));
  CHECK(has("backend: must be auto, runc or process"));
  CHECK(has("heartbeat_interval"));
  CHECK(has("first_port, last_port"));
}

TEST_CASE("a valid rep config reads from JSON") {
  auto doc = json::parse(R"({"cell_id":"cell-1","depot_dir":"/var/depot","memory_mb":2048,
    "placement_tags":["gpu"],"presence_ttl":"10s","heartbeat_interval":"2s","backend":"process"})");
  REQUIRE(doc.ok());
  RepConfig c;
  json::ObjectReader r(*doc);
  c.read(r);
  REQUIRE(r.ok());
  std::vector<std::string> problems;
  c.validate(problems);
  CHECK(problems.empty());
  CHECK(c.memory_mb == 2048);
  CHECK(c.placement_tags == std::vector<std::string>{"gpu"});
  CHECK(c.presence_ttl == std::chrono::seconds(10));
}
