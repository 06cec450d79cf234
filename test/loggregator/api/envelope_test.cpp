#include "loggregator/api/envelope.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::loggregator;

TEST_CASE("envelope types") {
  SECTION("when named, they use log-cache's envelope_types names") {
    CHECK(envelope_type_name(EnvelopeType::Log) == "LOG");
    CHECK(envelope_type_name(EnvelopeType::Counter) == "COUNTER");
    CHECK(envelope_type_name(EnvelopeType::Gauge) == "GAUGE");
    CHECK(envelope_type_name(EnvelopeType::Timer) == "TIMER");
    CHECK(envelope_type_name(EnvelopeType::Event) == "EVENT");
    for (auto t : {EnvelopeType::Log, EnvelopeType::Counter, EnvelopeType::Gauge,
                   EnvelopeType::Timer, EnvelopeType::Event}) {
      CHECK(parse_envelope_type(envelope_type_name(t)) == t);
    }
  }
  SECTION("when a name is unknown or lower-case, it does not parse") {
    CHECK_FALSE(parse_envelope_type("log").has_value());
    CHECK_FALSE(parse_envelope_type("ANY").has_value());
    CHECK_FALSE(parse_envelope_type("").has_value());
  }
  SECTION("when an envelope holds a message, type() and the accessors agree") {
    Envelope e;
    e.message = Gauge{{{"cpu", {"percentage", 12.5}}}};
    CHECK(e.type() == EnvelopeType::Gauge);
    REQUIRE(e.gauge() != nullptr);
    CHECK(e.log() == nullptr);
    e.message = Event{"crash", "exit 1"};
    CHECK(e.type() == EnvelopeType::Event);
    CHECK(e.event()->title == "crash");
  }
}

TEST_CASE("make_log writes a log as Cloud Foundry's producers do") {
  auto e = make_log(42, "app-guid", "3", "APP/PROC/WEB", "hello", LogType::Err);
  CHECK(e.timestamp == 42);
  CHECK(e.source_id == "app-guid");
  CHECK(e.instance_id == "3");
  CHECK(e.tags == std::map<std::string, std::string>{{"source_type", "APP/PROC/WEB"}});
  REQUIRE(e.log() != nullptr);
  CHECK(e.log()->payload == "hello");
  CHECK(e.log()->type == LogType::Err);
}

TEST_CASE("source ids must be usable as the last part of logs.<source_id>") {
  CHECK(validate_source_id("5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6").ok());
  CHECK(validate_source_id("doppler").ok());
  CHECK(validate_source_id("a.b").ok());
  for (std::string bad : {"", "a b", "a*", "logs.>", "a..b", ".a", "a.", "tab\there"}) {
    INFO(bad);
    auto s = validate_source_id(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == make_error_code(Errc::InvalidArgument));
  }
  CHECK_FALSE(validate_source_id(std::string(257, 'a')).ok());
}

TEST_CASE("approximate_size grows with what an envelope holds") {
  auto small = make_log(1, "app", "0", "APP/PROC/WEB", "hi");
  auto large = make_log(1, "app", "0", "APP/PROC/WEB", std::string(10'000, 'x'));
  CHECK(approximate_size(small) >= sizeof(Envelope));
  CHECK(approximate_size(large) >= approximate_size(small) + 10'000);
  Envelope gauge;
  gauge.message = Gauge{{{"cpu", {"percentage", 1}}, {"memory", {"bytes", 2}}}};
  Envelope one_metric;
  one_metric.message = Gauge{{{"cpu", {"percentage", 1}}}};
  CHECK(approximate_size(gauge) > approximate_size(one_metric));
}
