// HttpBbsClient's desired and actual LRP calls against a real cupola-bbs.

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "test/bbs/api/client/client_harness.h"

namespace cupola::bbs::test {
namespace {

ErrorType type_of(const Status& s) {
  return s ? ErrorType::UnknownError : error_type_of(s.error());
}

// The one row of (guid, index).
ActualLrp row_of(BbsWithClients& t, const std::string& guid, std::int32_t index) {
  ActualLrpQuery query;
  query.process_guid = guid;
  query.index = index;
  auto rows = t.run(t.bbs.actual_lrps(query));
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  return rows->front();
}

}  // namespace

TEST_CASE("HttpBbsClient desired LRP calls round-trip what the BBS stores", "[integration]") {
  BbsWithClients t;
  const DesiredLrp web = sample_lrp("web", 2);
  REQUIRE(t.run(t.bbs.desire_lrp(web)).ok());

  auto stored = t.run(t.bbs.desired_lrp_by_process_guid("web"));
  REQUIRE(stored.ok());
  CHECK_FALSE(stored->modification_tag.epoch.empty());
  DesiredLrp expected = web;
  expected.modification_tag = stored->modification_tag;
  CHECK(*stored == expected);

  SECTION("when it is desired again, the error is ResourceExists") {
    CHECK(type_of(t.run(t.bbs.desire_lrp(web))) == ErrorType::ResourceExists);
  }
  SECTION("when the record is invalid, the error is InvalidRequest with the BBS's message") {
    auto s = t.run(t.bbs.desire_lrp(sample_lrp("bad", -1)));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorType::InvalidRequest);
    CHECK(s.error().message == "Invalid field: instances");
    DesiredLrp huge = sample_lrp("huge", 1);
    huge.annotation.assign(2 << 20, 'x');  // past the BBS's request body limit
    CHECK(type_of(t.run(t.bbs.desire_lrp(huge))) == ErrorType::InvalidRequest);
  }
  SECTION("when it is updated, the BBS keeps the new instances and annotation") {
    DesiredLrpUpdate update;
    update.instances = 3;
    update.annotation = "etag-2";
    REQUIRE(t.run(t.bbs.update_desired_lrp("web", update)).ok());
    auto after = t.run(t.bbs.desired_lrp_by_process_guid("web"));
    REQUIRE(after.ok());
    CHECK(after->instances == 3);
    CHECK(after->annotation == "etag-2");
    CHECK(after->routes == web.routes);
    CHECK(stored->modification_tag.succeeded_by(after->modification_tag));
    auto rows = t.run(t.bbs.actual_lrps(ActualLrpQuery{}));
    REQUIRE(rows.ok());
    CHECK(rows->size() == 3);
  }
  SECTION("when lists are filtered, only the matching records come back") {
    DesiredLrp worker = sample_lrp("worker", 1);
    worker.domain = "other";
    REQUIRE(t.run(t.bbs.desire_lrp(worker)).ok());
    auto all = t.run(t.bbs.desired_lrps(DesiredLrpQuery{}));
    REQUIRE(all.ok());
    CHECK(all->size() == 2);
    DesiredLrpQuery by_domain;
    by_domain.domain = "other";
    auto others = t.run(t.bbs.desired_lrps(by_domain));
    REQUIRE(others.ok());
    REQUIRE(others->size() == 1);
    CHECK(others->front().process_guid == "worker");
    DesiredLrpQuery by_guid;
    by_guid.process_guids.push_back("web");
    auto webs = t.run(t.bbs.desired_lrps(by_guid));
    REQUIRE(webs.ok());
    REQUIRE(webs->size() == 1);
    CHECK(webs->front().process_guid == "web");
  }
  SECTION("when it is removed, getting it is ResourceNotFound") {
    REQUIRE(t.run(t.bbs.remove_desired_lrp("web")).ok());
    auto gone = t.run(t.bbs.desired_lrp_by_process_guid("web"));
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.error().code == ErrorType::ResourceNotFound);
    CHECK(type_of(t.run(t.bbs.remove_desired_lrp("web"))) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("HttpBbsClient actual LRP calls drive an instance through its lifecycle",
          "[integration]") {
  BbsWithClients t;
  REQUIRE(t.run(t.bbs.desire_lrp(sample_lrp("app", 2))).ok());
  CHECK(row_of(t, "app", 0).state == ActualLrpState::Unclaimed);

  REQUIRE(t.run(t.bbs.claim_actual_lrp("app", 0, instance_on("cell-1"))).ok());
  ActualLrp claimed = row_of(t, "app", 0);
  CHECK(claimed.state == ActualLrpState::Claimed);
  CHECK(claimed.instance_key == instance_on("cell-1"));

  SECTION("when another cell claims it, the error is ActualLRPCannotBeClaimed") {
    auto s = t.run(t.bbs.claim_actual_lrp("app", 0, instance_on("cell-2")));
    CHECK(type_of(s) == ErrorType::ActualLRPCannotBeClaimed);
    CHECK(row_of(t, "app", 0).instance_key == instance_on("cell-1"));
  }
  SECTION("when it starts, the row is RUNNING where the rep said") {
    ActualLrpStart start = start_on("app", 0, "cell-1");
    REQUIRE(t.run(t.bbs.start_actual_lrp(start)).ok());
    ActualLrp running = row_of(t, "app", 0);
    CHECK(running.state == ActualLrpState::Running);
    CHECK(running.net_info == start.net_info);
    CHECK(running.routable);
    CHECK(running.availability_zone == "z1");

    ActualLrpQuery on_cell;
    on_cell.cell_id = "cell-1";
    auto rows = t.run(t.bbs.actual_lrps(on_cell));
    REQUIRE(rows.ok());
    CHECK(rows->size() == 1);

    SECTION("and then crashes, the crash is counted and the instance key cleared") {
      REQUIRE(t.run(t.bbs.crash_actual_lrp(start.key, start.instance_key, "exit 1")).ok());
      ActualLrp crashed = row_of(t, "app", 0);
      CHECK(crashed.crash_count == 1);
      CHECK(crashed.crash_reason == "exit 1");
      CHECK(crashed.instance_key.empty());
    }
    SECTION("and then its container is removed, the row goes") {
      auto wrong = t.run(t.bbs.remove_actual_lrp("app", 0, instance_on("cell-2")));
      CHECK(type_of(wrong) == ErrorType::ResourceNotFound);
      REQUIRE(t.run(t.bbs.remove_actual_lrp("app", 0, instance_on("cell-1"))).ok());
      ActualLrpQuery index0;
      index0.process_guid = "app";
      index0.index = 0;
      auto rows0 = t.run(t.bbs.actual_lrps(index0));
      REQUIRE(rows0.ok());
      CHECK(rows0->empty());
    }
  }
  SECTION("when placement fails, the unclaimed row records why") {
    ActualLrpKey key{"app", 1, "cf-apps"};
    REQUIRE(t.run(t.bbs.fail_actual_lrp(key, "insufficient resources")).ok());
    CHECK(row_of(t, "app", 1).placement_error == "insufficient resources");
    ActualLrpKey claimed_key{"app", 0, "cf-apps"};
    CHECK(type_of(t.run(t.bbs.fail_actual_lrp(claimed_key, "x"))) ==
          ErrorType::ActualLRPCannotBeFailed);
  }
  SECTION("when an instance on a cell without presence is retired, its row goes") {
    REQUIRE(t.run(t.bbs.retire_actual_lrp(ActualLrpKey{"app", 0, "cf-apps"})).ok());
    ActualLrpQuery query;
    query.process_guid = "app";
    auto rows = t.run(t.bbs.actual_lrps(query));
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().key.index == 1);
    auto missing = t.run(t.bbs.retire_actual_lrp(ActualLrpKey{"nope", 0, "cf-apps"}));
    CHECK(type_of(missing) == ErrorType::ResourceNotFound);
  }
}

}  // namespace cupola::bbs::test
