#include <catch2/catch.hpp>

#include "test/bbs/db/actual_lrp_helpers.h"
#include "test/bbs/db/backend.h"
#include "test/bbs/db/fixtures.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;

namespace {

ActualLrp with_tag_index(ActualLrp lrp, std::uint32_t index) {
  lrp.modification_tag.index = index;
  return lrp;
}

}  // namespace

TEST_CASE("ActualLrpDb mutate is all or nothing", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.actual_lrps();
  auto ordinary = actual("a", 0, "cell-1");
  auto suspect = actual("a", 0, "cell-2", Presence::Suspect);
  seed(b, {ordinary, suspect});
  const auto before = list(b);

  SECTION("a change whose before-tag is stale is ResourceConflict") {
    auto stale = with_tag_index(ordinary, 7);
    auto claimed = with_tag_index(ordinary, 8);
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>&) {
      ActualLrpChanges c;
      c.changed = {{stale, claimed}};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceConflict);
    CHECK(list(b) == before);
  }

  SECTION("a change whose before-presence has no row is ResourceConflict") {
    auto evacuating = ordinary;
    evacuating.presence = Presence::Evacuating;
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>&) {
      ActualLrpChanges c;
      c.changed = {{evacuating, with_tag_index(evacuating, 1)}};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceConflict);
    CHECK(list(b) == before);
  }

  SECTION("a deletion with a stale tag is ResourceConflict, and earlier writes roll back") {
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      ActualLrpChanges c;
      c.removed = {rows.at(1), with_tag_index(rows.at(0), 3)};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceConflict);
    CHECK(list(b) == before);
  }

  SECTION("a stale change after a valid deletion rolls the deletion back") {
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      ActualLrpChanges c;
      c.removed = {rows.at(1)};
      c.changed = {{with_tag_index(rows.at(0), 2), with_tag_index(rows.at(0), 3)}};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceConflict);
    CHECK(list(b) == before);
  }

  SECTION("inserting over an existing row is ResourceExists, and nothing is written") {
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      ActualLrpChanges c;
      c.changed = {{rows.at(0), with_tag_index(rows.at(0), 1)}};
      c.created = {actual("a", 0, "", Presence::Suspect)};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceExists);
    CHECK(list(b) == before);
  }

  SECTION("moving a row onto a taken presence is ResourceExists") {
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      auto moved = rows.at(0);
      moved.presence = Presence::Suspect;
      ActualLrpChanges c;
      c.changed = {{rows.at(0), moved}};
      return Result<ActualLrpChanges>(c);
    }));
    CHECK(type_of(r) == ErrorType::ResourceExists);
    CHECK(list(b) == before);
  }

  SECTION("a change with the current tag succeeds and stores the new tag") {
    auto crashed = ordinary;
    crashed.state = ActualLrpState::Crashed;
    crashed.instance_key = {};
    crashed.net_info = {};
    crashed.crash_count = 1;
    crashed.crash_reason = "exited with status 1";
    crashed.since = kNow + kSecond;
    crashed.modification_tag.index = 1;
    auto r = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>& rows) {
      ActualLrpChanges c;
      c.changed = {{rows.at(0), crashed}};
      return Result<ActualLrpChanges>(c);
    }));
    REQUIRE(r);
    CHECK(list(b) == std::vector<ActualLrp>{crashed, suspect});
    SECTION("and the old tag is stale from then on") {
      auto again = b.run(db.mutate("a", 0, [&](const std::vector<ActualLrp>&) {
        ActualLrpChanges c;
        c.changed = {{ordinary, with_tag_index(ordinary, 1)}};
        return Result<ActualLrpChanges>(c);
      }));
      CHECK(type_of(again) == ErrorType::ResourceConflict);
    }
  }
}
