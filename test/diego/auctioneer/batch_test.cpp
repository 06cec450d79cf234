#include "diego/auctioneer/src/batch.h"

#include <catch2/catch.hpp>

#include "test/diego/auctioneer/fakes.h"

using namespace cupola::auctioneer;
using cupola::auctioneer::test::lrp;
using cupola::auctioneer::test::task;

TEST_CASE("a batch of start requests") {
  Batch b;
  CHECK(b.empty());

  SECTION("when requests arrive, they come out in arrival order") {
    b.add({{lrp("a", 0), lrp("a", 1)}, {task("t1")}});
    b.add({{lrp("b", 0)}, {task("t2")}});
    CHECK(b.size() == 5);
    auto w = b.take();
    REQUIRE(w.lrps.size() == 3);
    CHECK(w.lrps[0].process_guid == "a");
    CHECK(w.lrps[1].index == 1);
    CHECK(w.lrps[2].process_guid == "b");
    CHECK(w.tasks.size() == 2);
    CHECK(b.empty());
  }
  SECTION("when an instance or task comes again, the newest copy replaces it in place") {
    b.add({{lrp("a", 0, 128), lrp("a", 1)}, {task("t1", 64)}});
    b.add({{lrp("a", 0, 512)}, {task("t1", 256)}});
    auto w = b.take();
    REQUIRE(w.lrps.size() == 2);
    CHECK(w.lrps[0].memory_mb == 512);
    CHECK(w.lrps[1].index == 1);
    REQUIRE(w.tasks.size() == 1);
    CHECK(w.tasks[0].memory_mb == 256);
  }
  SECTION("when taken, the next batch starts afresh") {
    b.add({{lrp("a", 0)}, {}});
    (void)b.take();
    b.add({{lrp("a", 0)}, {}});
    CHECK(b.take().lrps.size() == 1);
  }
}
