#include <catch2/catch.hpp>

#include "test/bbs/db/actual_lrp_helpers.h"
#include "test/bbs/db/backend.h"
#include "test/bbs/db/fixtures.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;

TEST_CASE("ActualLrpDb lists rows by filter, in key order", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto other_domain = actual("b", 0, "cell-1");
  other_domain.key.domain = "other";
  auto running = actual("a", 1, "cell-2");
  seed(b, {actual("b", 2), other_domain, running, actual("a", 0, "cell-1", Presence::Suspect),
           actual("a", 0)});

  SECTION("without a filter, every row round-trips") {
    auto rows = list(b);
    CHECK(keys(rows) ==
          Keys{"a/0/ORDINARY", "a/0/SUSPECT", "a/1/ORDINARY", "b/0/ORDINARY", "b/2/ORDINARY"});
    REQUIRE(rows.size() == 5);
    CHECK(rows[2] == running);
    CHECK(rows[0] == actual("a", 0));
  }
  SECTION("by domain") { CHECK(keys(list(b, {.domain = "other"})) == Keys{"b/0/ORDINARY"}); }
  SECTION("by cell_id") {
    CHECK(keys(list(b, {.cell_id = "cell-1"})) == Keys{"a/0/SUSPECT", "b/0/ORDINARY"});
  }
  SECTION("by process_guid") {
    CHECK(keys(list(b, {.process_guid = "b"})) == Keys{"b/0/ORDINARY", "b/2/ORDINARY"});
  }
  SECTION("by index 0, which is a filter and not the absence of one") {
    CHECK(keys(list(b, {.index = 0})) == Keys{"a/0/ORDINARY", "a/0/SUSPECT", "b/0/ORDINARY"});
  }
  SECTION("by process_guid and index together") {
    CHECK(keys(list(b, {.process_guid = "a", .index = 1})) == Keys{"a/1/ORDINARY"});
    CHECK(list(b, {.process_guid = "a", .index = 2}).empty());
  }
  SECTION("by every filter at once") {
    CHECK(keys(list(b,
                    {.domain = "cf-apps", .cell_id = "cell-1", .process_guid = "a", .index = 0})) ==
          Keys{"a/0/SUSPECT"});
  }
}

TEST_CASE("ActualLrpDb mutate sees the rows of one index and writes its decision", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.actual_lrps();

  SECTION("promoting a SUSPECT row to ORDINARY while deleting the ORDINARY replacement") {
    auto replacement = actual("a", 0);
    auto suspect = actual("a", 0, "cell-1", Presence::Suspect);
    seed(b, {replacement, suspect, actual("a", 1)});
    auto promoted = suspect;
    promoted.presence = Presence::Ordinary;
    std::vector<ActualLrp> seen;
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      seen = rows;
      ActualLrpChanges c;
      c.removed = {rows[0]};
      c.changed = {{rows[1], promoted}};
      return Result<ActualLrpChanges>(c);
    }));
    REQUIRE(r);
    CHECK(seen == std::vector<ActualLrp>{replacement, suspect});
    CHECK(r->removed == std::vector<ActualLrp>{replacement});
    REQUIRE(r->changed.size() == 1);
    CHECK(r->changed[0].second == promoted);
    CHECK(list(b, {.process_guid = "a"}) == std::vector<ActualLrp>{promoted, actual("a", 1)});
  }

  SECTION("flipping ORDINARY to SUSPECT and inserting a new ORDINARY row") {
    auto running = actual("a", 0, "cell-1");
    seed(b, {running});
    auto suspect = running;
    suspect.presence = Presence::Suspect;
    auto fresh = actual("a", 0);
    fresh.modification_tag = {"epoch-new", 0};
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      ActualLrpChanges c;
      c.changed = {{rows.at(0), suspect}};
      c.created = {fresh};
      return Result<ActualLrpChanges>(c);
    }));
    REQUIRE(r);
    CHECK(r->created == std::vector<ActualLrp>{fresh});
    CHECK(list(b) == std::vector<ActualLrp>{fresh, suspect});
  }

  SECTION("an index without rows is seen empty, and rows can be created there") {
    seed(b, {actual("a", 0)});
    std::size_t seen = 99;
    auto r = b.run(db.mutate("a", 3, [&](const std::vector<ActualLrp>& rows) {
      seen = rows.size();
      return Result<ActualLrpChanges>(creating({actual("a", 3)}));
    }));
    REQUIRE(r);
    CHECK(seen == 0);
    CHECK(keys(list(b)) == Keys{"a/0/ORDINARY", "a/3/ORDINARY"});
  }

  SECTION("an empty decision writes nothing") {
    seed(b, {actual("a", 0)});
    auto r = b.run(db.mutate("a", 0, [](const std::vector<ActualLrp>&) {
      return Result<ActualLrpChanges>(ActualLrpChanges{});
    }));
    REQUIRE(r);
    CHECK(r->empty());
    CHECK(list(b) == std::vector<ActualLrp>{actual("a", 0)});
  }

  SECTION("the decision's error comes back as is and nothing is written") {
    seed(b, {actual("a", 0)});
    auto r = b.run(db.mutate("a", 0, [](const std::vector<ActualLrp>&) -> Result<ActualLrpChanges> {
      return bbs_error(ErrorType::ActualLRPCannotBeClaimed, "cannot claim actual LRP");
    }));
    REQUIRE_FALSE(r);
    CHECK(type_of(r) == ErrorType::ActualLRPCannotBeClaimed);
    CHECK(r.error().message == "cannot claim actual LRP");
    CHECK(list(b) == std::vector<ActualLrp>{actual("a", 0)});
  }
}
