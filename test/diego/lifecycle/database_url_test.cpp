#include "diego/lifecycle/launcher/database_url.h"

#include <catch2/catch.hpp>

using namespace cupola::lifecycle;

TEST_CASE("credential URIs in VCAP_SERVICES") {
  SECTION("when services carry credentials.uri, each non-empty one is listed in order") {
    auto uris = service_credential_uris(R"({
      "abc": [{"credentials": {"uri": "u1"}}],
      "def": [{"other": "data"}],
      "ghi": [{"credentials": {"other": "data"}}],
      "jkl": [{}, {"credentials": {"uri": "u2"}}, {"credentials": {"uri": ""}}],
      "mno": [{"credentials": {"uri": 7}}, "text", {"credentials": "x"}]
    })");
    CHECK(uris == std::vector<std::string>{"u1", "u2"});
  }
  SECTION("when VCAP_SERVICES is not a JSON object, there are none") {
    CHECK(service_credential_uris("").empty());
    CHECK(service_credential_uris("not json").empty());
    CHECK(service_credential_uris("[]").empty());
    CHECK(service_credential_uris(R"({"a": {"credentials": {"uri": "u"}}})").empty());
  }
}

TEST_CASE("DATABASE_URL from service URIs") {
  using V = std::vector<std::string>;
  SECTION("when the URI is for a relational database, its scheme is the one apps expect") {
    CHECK(database_url(V{"mysql://username:password@host/db"}) ==
          "mysql2://username:password@host/db");
    CHECK(database_url(V{"mysql2://username:password@host/db"}) ==
          "mysql2://username:password@host/db");
    CHECK(database_url(V{"postgres://username:password@host/db"}) ==
          "postgres://username:password@host/db");
    CHECK(database_url(V{"postgresql://username:password@host:5432/db?sslmode=require"}) ==
          "postgres://username:password@host:5432/db?sslmode=require");
    CHECK(database_url(V{"PostgreSQL://u@host/db"}) == "postgres://u@host/db");
  }
  SECTION("when there are several, the first relational one wins") {
    CHECK(database_url(V{"sendgrid://foo:bar@host/x", "postgres://u@host/db1",
                         "mysql://u@host/db2"}) == "postgres://u@host/db1");
  }
  SECTION("when a URI would not parse, it is skipped") {
    CHECK_FALSE(database_url(V{"postgresql://invalid:password@host/%a"}));
    CHECK(database_url(V{"postgres://u@host/%zz", "mysql://u@host/ok%20db"}) ==
          "mysql2://u@host/ok%20db");
    CHECK_FALSE(database_url(V{"postgres://u@host:port/db"}));
    CHECK_FALSE(database_url(V{"postgres://u@host/db\n"}));
    CHECK(database_url(V{"postgres://u:p@[::1]:5432/db"}) == "postgres://u:p@[::1]:5432/db");
  }
  SECTION("when no URI is for a relational database, there is none") {
    CHECK_FALSE(database_url(V{"sendgrid://foo:bar@host/db"}));
    CHECK_FALSE(database_url(V{"redis://h:6379", "postgres"}));
    CHECK_FALSE(database_url(V{}));
  }
  SECTION("when reading VCAP_SERVICES directly") {
    CHECK(database_url_from_services(
              R"({"my-db":[{"credentials":{"uri":"postgresql://thing.com/special"}}]})") ==
          "postgres://thing.com/special");
    CHECK_FALSE(database_url_from_services(R"({"x":[{"credentials":{"uri":"fred://a/b"}}]})"));
  }
}
