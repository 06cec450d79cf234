#include "common/core/result.h"

#include <catch2/catch.hpp>
#include <string>

using cupola::Errc;
using cupola::Error;
using cupola::make_error;
using cupola::Result;

namespace {
Result<int> half(int n) {
  if (n % 2 != 0) return make_error(Errc::InvalidArgument, std::to_string(n) + " is odd");
  return n / 2;
}
}  // namespace

TEST_CASE("Result carries a value or an error") {
  SECTION("when the operation succeeds") {
    auto r = half(10);
    REQUIRE(r.ok());
    CHECK(*r == 5);
    CHECK(r.value_or(0) == 5);
  }
  SECTION("when it fails") {
    auto r = half(3);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK(r.error().message == "3 is odd");
    CHECK(r.value_or(-1) == -1);
    CHECK(r.error().describe() == "3 is odd (cupola: invalid argument)");
  }
  SECTION("Result<void> is ok by default and can carry an error") {
    cupola::Status ok;
    CHECK(ok.ok());
    cupola::Status bad = make_error(Errc::Timeout, "no answer in 5s");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == std::error_code(Errc::Timeout));
  }
  SECTION("move-only values") {
    Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
    auto p = std::move(r).value();
    CHECK(*p == 7);
  }
}
