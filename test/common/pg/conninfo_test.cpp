#include "common/pg/conninfo.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::pg;

TEST_CASE("describe_conninfo") {
  SECTION("keeps host, port, dbname and user, never the password") {
    auto d = describe_conninfo(
        "host=db.internal port=5433 dbname=bbs user=cupola password=s3cret sslmode=disable");
    REQUIRE(d);
    CHECK(*d == "host=db.internal port=5433 dbname=bbs user=cupola");
  }

  SECTION("handles URIs with credentials") {
    auto d = describe_conninfo("postgresql://cupola:s3cret@127.0.0.1:6543/ccdb");
    REQUIRE(d);
    CHECK(*d == "host=127.0.0.1 port=6543 dbname=ccdb user=cupola");
  }

  SECTION("when unparseable, fails without echoing the input") {
    auto d = describe_conninfo("host=x password='s3cret");
    REQUIRE_FALSE(d);
    CHECK(d.error().code == Errc::InvalidArgument);
    CHECK(d.error().message.find("s3cret") == std::string::npos);
    CHECK(safe_conninfo("host=x password='s3cret") == "<invalid conninfo>");
  }
}

TEST_CASE("is_valid_channel_name") {
  CHECK(is_valid_channel_name("events"));
  CHECK(is_valid_channel_name("bbs_events_2"));
  CHECK(is_valid_channel_name("_x"));
  CHECK_FALSE(is_valid_channel_name(""));
  CHECK_FALSE(is_valid_channel_name("2events"));
  CHECK_FALSE(is_valid_channel_name("Events"));
  CHECK_FALSE(is_valid_channel_name("a;drop"));
  CHECK_FALSE(is_valid_channel_name("a\"b"));
  CHECK_FALSE(is_valid_channel_name(std::string(64, 'a')));
  CHECK(is_valid_channel_name(std::string(63, 'a')));
}
