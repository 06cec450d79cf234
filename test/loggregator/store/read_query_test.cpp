#include "loggregator/store/read_query.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::logstore;

namespace {

std::string problem(std::string_view query) {
  auto q = parse_read_query(query);
  REQUIRE_FALSE(q.ok());
  CHECK(q.error().code == make_error_code(Errc::InvalidArgument));
  return q.error().message;
}

EnvelopeTypeSet types(std::initializer_list<EnvelopeType> list) {
  EnvelopeTypeSet s;
  for (auto t : list) s.add(t);
  return s;
}

}  // namespace

TEST_CASE("parsing the read API's query") {
  SECTION("when empty, the defaults are log-cache's") {
    auto q = parse_read_query("");
    REQUIRE(q.ok());
    CHECK(q->start_time == 0);
    CHECK_FALSE(q->end_time.has_value());
    CHECK(q->envelope_types.empty());
    CHECK(q->limit == 100);
    CHECK_FALSE(q->descending);
  }
  SECTION("when every parameter is given, each is read") {
    auto q = parse_read_query(
        "start_time=1700000000000000000&end_time=1700000000500000000&limit=1000"
        "&descending=true&envelope_types=LOG&envelope_types=GAUGE");
    REQUIRE(q.ok());
    CHECK(q->start_time == 1700000000000000000);
    CHECK(q->end_time == 1700000000500000000);
    CHECK(q->limit == 1000);
    CHECK(q->descending);
    CHECK(q->envelope_types == types({EnvelopeType::Log, EnvelopeType::Gauge}));
  }
  SECTION("when the cf CLI asks for recent logs, its query is read") {
    auto q = parse_read_query(
        "?descending=true&envelope_types=LOG&limit=1000&start_time=-6795364578871345152");
    REQUIRE(q.ok());
    CHECK(q->start_time == 0);  // negative: from the beginning
    CHECK(q->descending);
    CHECK(q->limit == 1000);
    CHECK(q->envelope_types == types({EnvelopeType::Log}));
  }
  SECTION("when envelope types come comma-separated or percent-encoded, they are read") {
    auto q = parse_read_query("envelope_types=COUNTER,TIMER&envelope_types=EVENT%2CLOG");
    REQUIRE(q.ok());
    CHECK(q->envelope_types == types({EnvelopeType::Counter, EnvelopeType::Timer,
                                      EnvelopeType::Event, EnvelopeType::Log}));
  }
  SECTION("when ANY is given, it adds no filter, as in log-cache") {
    auto any = parse_read_query("envelope_types=ANY");
    REQUIRE(any.ok());
    CHECK(any->envelope_types.empty());
    auto mixed = parse_read_query("envelope_types=ANY&envelope_types=LOG");
    REQUIRE(mixed.ok());
    CHECK(mixed->envelope_types == types({EnvelopeType::Log}));
  }
  SECTION("when descending is spelled otherwise, it is read") {
    CHECK(parse_read_query("descending=false")->descending == false);
    CHECK(parse_read_query("descending=1")->descending == true);
    CHECK(parse_read_query("descending")->descending == true);
  }
  SECTION("when limit is 0, it means the default, as in log-cache") {
    CHECK(parse_read_query("limit=0")->limit == 100);
  }
  SECTION("when unknown parameters or empty pairs are present, they are ignored") {
    auto q = parse_read_query("name_filter=cpu&&limit=5&");
    REQUIRE(q.ok());
    CHECK(q->limit == 5);
  }
}

TEST_CASE("parsing the read API's query refuses bad values, saying which and why") {
  CHECK(problem("limit=1001") == "limit must be between 1 and 1000, got \"1001\"");
  CHECK(problem("limit=-1") == "limit must be between 1 and 1000, got \"-1\"");
  CHECK(problem("limit=ten") == "limit must be between 1 and 1000, got \"ten\"");
  CHECK(problem("limit=99999999999999999999") ==
        "limit must be between 1 and 1000, got \"99999999999999999999\"");
  CHECK(problem("start_time=yesterday") ==
        "start_time must be a Unix time in nanoseconds (a decimal integer), got \"yesterday\"");
  CHECK(problem("end_time=1.5e18").starts_with("end_time must be a Unix time"));
  CHECK(problem("start_time=").starts_with("start_time must be a Unix time"));
  CHECK(problem("start_time=10&end_time=5") == "start_time (10) must not be after end_time (5)");
  CHECK(problem("envelope_types=LOGS") ==
        "envelope_types must be LOG, COUNTER, GAUGE, TIMER, EVENT or ANY, got \"LOGS\"");
  CHECK(problem("envelope_types=log").find("got \"log\"") != std::string::npos);
  CHECK(problem("envelope_types=LOG,").find("got \"\"") != std::string::npos);
  CHECK(problem("descending=maybe") == "descending must be true or false, got \"maybe\"");
  CHECK(problem("limit=%zz").starts_with("malformed percent-encoding"));
}
