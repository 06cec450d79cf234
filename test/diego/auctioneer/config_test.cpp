#include "diego/auctioneer/src/config.h"

#include <catch2/catch.hpp>

#include "common/config/config.h"

using namespace cupola;
using namespace std::chrono_literals;

TEST_CASE("auctioneer config") {
  SECTION("when the file is empty, the defaults hold") {
    auto doc = json::parse("{}");
    auto c = config::from_document<auctioneer::AuctioneerConfig>(*doc, "config");
    REQUIRE(c);
    CHECK(c->listen_address == "127.0.0.1:9016");
    CHECK(c->bbs_url == "http://127.0.0.1:8889");
    CHECK(c->batch_window == 500ms);
    CHECK(c->rep_timeout == 2s);
    CHECK(c->max_tries == 3);
  }
  SECTION("when fields are set, durations read as strings") {
    auto doc = json::parse(
        R"({"bbs_url": "http://10.0.0.1:8889", "batch_window": "50ms", "rep_timeout": "1s"})");
    auto c = config::from_document<auctioneer::AuctioneerConfig>(*doc, "config");
    REQUIRE(c);
    CHECK(c->bbs_url == "http://10.0.0.1:8889");
    CHECK(c->batch_window == 50ms);
    CHECK(c->rep_timeout == 1s);
  }
  SECTION("when values are wrong, every problem is reported at once") {
    auto doc = json::parse(
        R"({"listen_address": "nope", "bbs_url": "bbs:8889", "max_tries": 0, "nats_servers": []})");
    auto c = config::from_document<auctioneer::AuctioneerConfig>(*doc, "config");
    REQUIRE(!c);
    const auto& m = c.error().message;
    CHECK(m.find("listen_address") != std::string::npos);
    CHECK(m.find("bbs_url") != std::string::npos);
    CHECK(m.find("max_tries") != std::string::npos);
    CHECK(m.find("nats_servers") != std::string::npos);
  }
  SECTION("the BBS lock's timing defaults to a 15s TTL refreshed every 5s") {
    auto doc = json::parse("{}");
    auto c = config::from_document<auctioneer::AuctioneerConfig>(*doc, "config");
    REQUIRE(c);
    CHECK(c->lock_ttl == 15s);
    CHECK(c->lock_refresh_interval == 5s);
    CHECK(c->lock_retry_interval == 1s);
  }
  SECTION("a lock TTL must be whole seconds and outlast the refresh interval") {
    auto doc = json::parse(R"({"lock_ttl": "1500ms", "lock_refresh_interval": "2s"})");
    auto c = config::from_document<auctioneer::AuctioneerConfig>(*doc, "config");
    REQUIRE(!c);
    CHECK(c.error().message.find("lock_ttl") != std::string::npos);
    CHECK(c.error().message.find("lock_refresh_interval") != std::string::npos);
  }
}
