#include <catch2/catch.hpp>

#include "test/bbs/db/actual_lrp_helpers.h"
#include "test/bbs/db/backend.h"
#include "test/bbs/db/fixtures.h"

using namespace cupola;
using namespace cupola::bbs;
using namespace cupola::bbs::contract;

namespace {

using Lrps = std::vector<DesiredLrp>;

void desire(Backend& b, DesiredLrp lrp, std::vector<ActualLrp> actuals = {}) {
  REQUIRE(b.run(b.desired_lrps().desire(std::move(lrp), std::move(actuals))));
}

Lrps list_desired(Backend& b, DesiredLrpFilter filter = {}) {
  auto r = b.run(b.desired_lrps().list(std::move(filter)));
  REQUIRE(r);
  return std::move(r).value();
}

}  // namespace

TEST_CASE("DesiredLrpDb stores, lists and gets desired LRPs", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.desired_lrps();
  desire(b, desired("web-2"), {actual("web-2", 0), actual("web-2", 1)});
  desire(b, desired("web-1"));
  desire(b, desired("worker", "other"));

  SECTION("get returns the record as desired") {
    auto r = b.run(db.get("web-2"));
    REQUIRE(r);
    CHECK(*r == desired("web-2"));
  }
  SECTION("the first actual rows are written with it") {
    CHECK(keys(list(b)) == Keys{"web-2/0/ORDINARY", "web-2/1/ORDINARY"});
  }
  SECTION("list orders by process_guid and filters by domain and guids") {
    CHECK(list_desired(b) == Lrps{desired("web-1"), desired("web-2"), desired("worker", "other")});
    CHECK(list_desired(b, {.domain = "other"}) == Lrps{desired("worker", "other")});
    CHECK(list_desired(b, {.process_guids = {"worker", "web-2", "missing"}}) ==
          Lrps{desired("web-2"), desired("worker", "other")});
    CHECK(list_desired(b, {.domain = "cf-apps", .process_guids = {"worker", "web-1"}}) ==
          Lrps{desired("web-1")});
    CHECK(list_desired(b, {.domain = "nowhere"}).empty());
  }
  SECTION("a scheduling-only list carries the scheduling fields and nothing else") {
    auto infos = list_desired(b, {.process_guids = {"web-2"}, .scheduling_only = true});
    REQUIRE(infos.size() == 1);
    CHECK(infos[0] == scheduling_info(desired("web-2")));
    CHECK(infos[0].placement_tags == std::vector<std::string>{"blue"});
    CHECK(infos[0].action.empty());
    CHECK(list_desired(b, {.scheduling_only = true}).size() == 3);
  }
  SECTION("get of an unknown guid is ResourceNotFound") {
    CHECK(type_of(b.run(db.get("missing"))) == ErrorType::ResourceNotFound);
  }
  SECTION("a duplicate desire is ResourceExists and writes nothing") {
    auto changed = desired("web-1");
    changed.instances = 9;
    auto r = b.run(db.desire(changed, {actual("web-1", 0)}));
    CHECK(type_of(r) == ErrorType::ResourceExists);
    CHECK(*b.run(db.get("web-1")) == desired("web-1"));
    CHECK(list(b, {.process_guid = "web-1"}).empty());
  }
  SECTION("a desire whose actual row exists is ResourceExists and writes nothing") {
    auto r = b.run(db.desire(desired("web-3"), {actual("web-3", 0), actual("web-2", 1)}));
    CHECK(type_of(r) == ErrorType::ResourceExists);
    CHECK(type_of(b.run(db.get("web-3"))) == ErrorType::ResourceNotFound);
    CHECK(list(b, {.process_guid = "web-3"}).empty());
  }
}

TEST_CASE("DesiredLrpDb updates and removes under the record's tag", "[contract]") {
  auto backend = make_backend(GENERATE(from_range(backend_names())));
  INFO("backend: " << backend->name());
  auto& b = *backend;
  auto& db = b.desired_lrps();
  desire(b, desired("web"));

  SECTION("update stores decide's record with the tag index one up") {
    auto r = b.run(db.update("web", [](const DesiredLrp& current) {
      auto next = current;
      next.instances = 5;
      next.annotation = "etag-2";
      return Result<DesiredLrp>(next);
    }));
    REQUIRE(r);
    CHECK(r->first == desired("web"));
    auto expected = desired("web");
    expected.instances = 5;
    expected.annotation = "etag-2";
    expected.modification_tag = {"epoch-web", 1};
    CHECK(r->second == expected);
    CHECK(*b.run(db.get("web")) == expected);
  }
  SECTION("update keeps the process_guid and the stored tag whatever decide returns") {
    auto r = b.run(db.update("web", [](const DesiredLrp& current) {
      auto next = current;
      next.process_guid = "elsewhere";
      next.modification_tag = {"forged", 40};
      return Result<DesiredLrp>(next);
    }));
    REQUIRE(r);
    CHECK(r->second.process_guid == "web");
    CHECK(r->second.modification_tag == ModificationTag{"epoch-web", 1});
    CHECK(type_of(b.run(db.get("elsewhere"))) == ErrorType::ResourceNotFound);
  }
  SECTION("decide's error comes back and nothing changes") {
    auto r = b.run(db.update("web", [](const DesiredLrp&) -> Result<DesiredLrp> {
      return bbs_error(ErrorType::InvalidRequest, "Invalid field: instances");
    }));
    CHECK(type_of(r) == ErrorType::InvalidRequest);
    CHECK(*b.run(db.get("web")) == desired("web"));
  }
  SECTION("update of an unknown guid is ResourceNotFound and decide is not called") {
    bool called = false;
    auto r = b.run(db.update("missing", [&](const DesiredLrp& d) {
      called = true;
      return Result<DesiredLrp>(d);
    }));
    CHECK(type_of(r) == ErrorType::ResourceNotFound);
    CHECK_FALSE(called);
  }
  SECTION("remove returns the record, after which it is gone") {
    auto r = b.run(db.remove("web"));
    REQUIRE(r);
    CHECK(*r == desired("web"));
    CHECK(type_of(b.run(db.get("web"))) == ErrorType::ResourceNotFound);
    CHECK(list_desired(b).empty());
    CHECK(type_of(b.run(db.remove("web"))) == ErrorType::ResourceNotFound);
  }
}
