// The placement error texts users see.
#include <catch2/catch.hpp>

#include "diego/auction/reasons.h"

namespace cupola::auction {
namespace {

TEST_CASE("insufficient_resources names the missing resources alphabetically", "[auction]") {
  SECTION("when one resource is short") {
    CHECK(insufficient_resources(kMemory) == "insufficient resources: memory");
    CHECK(insufficient_resources(kDisk) == "insufficient resources: disk");
    CHECK(insufficient_resources(kContainers) == "insufficient resources: containers");
  }
  SECTION("when several are short") {
    CHECK(insufficient_resources(kMemory | kDisk) == "insufficient resources: disk, memory");
    CHECK(insufficient_resources(kAllProblems) ==
          "insufficient resources: containers, disk, memory");
  }
  SECTION("when no single resource is short everywhere") {
    CHECK(insufficient_resources(kNoProblem) == "insufficient resources");
  }
}

TEST_CASE("placement_tag_mismatch quotes the requested tags in request order", "[auction]") {
  SECTION("when no tags were requested") {
    CHECK(placement_tag_mismatch({}) == "found no compatible cell with no placement tags");
  }
  SECTION("when one tag was requested") {
    CHECK(placement_tag_mismatch({"gpu"}) == "found no compatible cell with placement tag \"gpu\"");
  }
  SECTION("when two tags were requested") {
    CHECK(placement_tag_mismatch({"gpu", "ssd"}) ==
          "found no compatible cell with placement tags \"gpu\" and \"ssd\"");
  }
  SECTION("when three tags were requested") {
    CHECK(placement_tag_mismatch({"c", "a", "b"}) ==
          "found no compatible cell with placement tags \"c\", \"a\" and \"b\"");
  }
}

}  // namespace
}  // namespace cupola::auction
