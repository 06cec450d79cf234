#include "common/nats/subject.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::nats;

namespace {

std::string error_of(const Status& s) { return s.ok() ? std::string() : s.error().message; }

}  // namespace

TEST_CASE("Subjects are validated before they reach the server") {
  SECTION("when publishing, plain dotted subjects pass") {
    CHECK(validate_publish_subject("router.register").ok());
    CHECK(validate_publish_subject("diego.rep.cell-1.state").ok());
    CHECK(validate_publish_subject("_INBOX.abc.1").ok());
  }

  SECTION("when publishing, empty subjects and empty tokens are rejected") {
    for (const char* bad : {"", ".a", "a.", "a..b", "."}) {
      auto s = validate_publish_subject(bad);
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().code == Errc::InvalidArgument);
    }
    CHECK(error_of(validate_publish_subject("a..b")) ==
          "invalid subject \"a..b\": token 2 is empty");
    CHECK(error_of(validate_publish_subject("")) == "invalid subject \"\": it is empty");
  }

  SECTION("when publishing, whitespace and control characters are rejected") {
    for (const char* bad : {"a b", "a\tb", "a\nb", "a\rb", " a"}) {
      auto s = validate_publish_subject(bad);
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().message.find("whitespace") != std::string::npos);
    }
  }

  SECTION("when publishing, wildcards are rejected") {
    CHECK(error_of(validate_publish_subject("a.*")) ==
          "invalid subject \"a.*\": wildcards (* and >) cannot be published to");
    CHECK_FALSE(validate_publish_subject("a.>").ok());
  }

  SECTION("when subscribing, whole-token wildcards pass") {
    CHECK(validate_subscribe_subject("a.*.c").ok());
    CHECK(validate_subscribe_subject("a.>").ok());
    CHECK(validate_subscribe_subject(">").ok());
    CHECK(validate_subscribe_subject("*").ok());
  }

  SECTION("when subscribing, misplaced wildcards are rejected") {
    CHECK(error_of(validate_subscribe_subject("a.>.c")) ==
          "invalid subject \"a.>.c\": > may only be the last token");
    CHECK(error_of(validate_subscribe_subject("a.b*")) ==
          "invalid subject \"a.b*\": token 2 mixes a wildcard with other characters");
    CHECK_FALSE(validate_subscribe_subject("a..*").ok());
  }

  SECTION("queue group names must be non-empty without whitespace") {
    CHECK(validate_queue_group("workers").ok());
    CHECK(error_of(validate_queue_group("")) == "invalid queue group \"\": it is empty");
    CHECK_FALSE(validate_queue_group("two words").ok());
  }
}
