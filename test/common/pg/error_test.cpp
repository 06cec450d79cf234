#include "common/pg/error.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::pg;

TEST_CASE("SQLSTATE codes") {
  SECTION("round-trip through an error_code") {
    for (const char* state : {"23505", "40P01", "00000", "ZZZZZ", "08006", "57P01"}) {
      auto code = sqlstate_code(state);
      CHECK(code);
      CHECK(code.category() == pg_category());
      CHECK(sqlstate(code) == state);
    }
  }

  SECTION("when malformed, no code") {
    CHECK_FALSE(sqlstate_code(""));
    CHECK_FALSE(sqlstate_code("2350"));
    CHECK_FALSE(sqlstate_code("235055"));
    CHECK_FALSE(sqlstate_code("2350a"));
  }

  SECTION("distinct states give distinct codes") {
    CHECK(sqlstate_code("23505") != sqlstate_code("23503"));
  }

  SECTION("the message names the state and, for well-known ones, its condition") {
    CHECK(sqlstate_code("23505").message() == "SQLSTATE 23505 unique_violation");
    CHECK(sqlstate_code("22P02").message() == "SQLSTATE 22P02");
  }

  SECTION("codes of other categories have no SQLSTATE") {
    CHECK(sqlstate(make_error_code(Errc::Conflict)).empty());
  }
}

TEST_CASE("Error classification") {
  auto pg_error = [](const char* state) { return make_error(sqlstate_code(state), "x"); };

  SECTION("unique and foreign key violations") {
    CHECK(is_unique_violation(pg_error("23505")));
    CHECK_FALSE(is_unique_violation(pg_error("23503")));
    CHECK_FALSE(is_unique_violation(make_error(Errc::Conflict, "x")));
    CHECK(is_foreign_key_violation(pg_error("23503")));
    CHECK(sqlstate(pg_error("23505")) == "23505");
  }

  SECTION("serialization failures and deadlocks are retryable, others are not") {
    CHECK(is_serialization_failure(pg_error("40001")));
    CHECK(is_deadlock(pg_error("40P01")));
    CHECK(is_retryable_transaction_error(pg_error("40001")));
    CHECK(is_retryable_transaction_error(pg_error("40P01")));
    CHECK_FALSE(is_retryable_transaction_error(pg_error("23505")));
    CHECK_FALSE(is_retryable_transaction_error(make_error(Errc::Timeout, "x")));
  }

  SECTION("connection errors") {
    CHECK(is_connection_error(make_error(Errc::Unavailable, "x")));
    CHECK(is_connection_error(pg_error("08006")));
    CHECK(is_connection_error(pg_error("57P01")));
    CHECK_FALSE(is_connection_error(pg_error("23505")));
    CHECK_FALSE(is_connection_error(make_error(Errc::Timeout, "x")));
  }
}
