#include "common/log/log.h"

#include <catch2/catch.hpp>

#include "common/core/time.h"
#include "common/json/json.h"

using namespace cupola;

namespace {
json::Document parse_line(const std::string& line) {
  auto d = json::parse(line);
  REQUIRE(d.ok());
  return std::move(d).value();
}
}  // namespace

TEST_CASE("Logger writes one JSON object per line") {
  auto sink = std::make_shared<log::MemorySink>();
  FakeClock clock;
  log::Logger logger(sink, clock, "bbs");

  SECTION("with source, message, level, timestamp and data") {
    logger.info("started", {{"port", 8889}, {"address", "127.0.0.1"}});
    auto lines = sink->lines();
    REQUIRE(lines.size() == 1);
    auto d = parse_line(lines[0]);
    CHECK(std::string(d["source"].GetString()) == "bbs");
    CHECK(std::string(d["message"].GetString()) == "bbs.started");
    CHECK(std::string(d["level"].GetString()) == "info");
    CHECK(std::string(d["timestamp"].GetString()) == format_rfc3339(clock.now(), true));
    CHECK(d["data"]["port"].GetInt() == 8889);
    CHECK(std::string(d["data"]["address"].GetString()) == "127.0.0.1");
    CHECK(sink->contains_message("bbs.started"));
  }

  SECTION("sessions prefix the message and carry data") {
    auto s = logger.session("desire-task", {{"task_guid", "t-1"}});
    auto inner = s.session("store");
    inner.error("failed", "connection refused", {{"attempt", 2}});
    auto d = parse_line(sink->lines().at(0));
    CHECK(std::string(d["message"].GetString()) == "bbs.desire-task.store.failed");
    CHECK(std::string(d["level"].GetString()) == "error");
    CHECK(std::string(d["data"]["task_guid"].GetString()) == "t-1");
    CHECK(std::string(d["data"]["error"].GetString()) == "connection refused");
    CHECK(std::string(d["data"]["session"].GetString()) == "1.2");
    CHECK(d["data"]["attempt"].GetInt() == 2);
  }

  SECTION("debug lines are dropped below the level") {
    logger.debug("noise");
    CHECK(sink->lines().empty());
    log::Logger verbose(sink, clock, "bbs", log::Level::Debug);
    verbose.debug("noise");
    CHECK(sink->lines().size() == 1);
  }

  SECTION("secrets are never written") {
    logger.info("login", {{"username", "admin"},
                          {"password", "hunter2"},
                          {"client_secret", "s3"},
                          {"access_token", "eyJ"},
                          {"Authorization", "bearer x"}});
    auto line = sink->lines().at(0);
    CHECK(line.find("hunter2") == std::string::npos);
    CHECK(line.find("s3\"") == std::string::npos);
    CHECK(line.find("eyJ") == std::string::npos);
    CHECK(line.find("bearer x") == std::string::npos);
    CHECK(line.find("admin") != std::string::npos);
  }

  SECTION("special characters are escaped") {
    logger.info("weird", {{"text", "line\nbreak \"quoted\""}});
    auto d = parse_line(sink->lines().at(0));
    CHECK(std::string(d["data"]["text"].GetString()) == "line\nbreak \"quoted\"");
  }
}

TEST_CASE("log levels parse") {
  CHECK(log::parse_level("debug") == log::Level::Debug);
  CHECK(log::parse_level("error") == log::Level::Error);
  CHECK_FALSE(log::parse_level("verbose").has_value());
}
