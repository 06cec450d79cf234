#include "common/pg/backoff.h"

#include <catch2/catch.hpp>

using namespace cupola::pg;
using namespace std::chrono_literals;

TEST_CASE("Backoff") {
  SECTION("doubles from the initial delay up to the cap") {
    Backoff b({100ms, 1000ms, 2.0});
    CHECK(b.next() == 100ms);
    CHECK(b.next() == 200ms);
    CHECK(b.next() == 400ms);
    CHECK(b.next() == 800ms);
    CHECK(b.next() == 1000ms);
    CHECK(b.next() == 1000ms);
  }

  SECTION("when reset, starts again from the initial delay") {
    Backoff b({50ms, 1000ms, 3.0});
    CHECK(b.next() == 50ms);
    CHECK(b.next() == 150ms);
    b.reset();
    CHECK(b.next() == 50ms);
  }

  SECTION("when the multiplier is below one, the delay stays constant") {
    Backoff b({70ms, 1000ms, 0.5});
    CHECK(b.next() == 70ms);
    CHECK(b.next() == 70ms);
  }

  SECTION("when the initial delay exceeds the cap, the cap wins") {
    Backoff b({5000ms, 1000ms, 2.0});
    CHECK(b.next() == 1000ms);
  }
}
