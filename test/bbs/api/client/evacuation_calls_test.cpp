// HttpBbsClient's evacuation calls against a real cupola-bbs.

#include <catch2/catch.hpp>

#include "bbs/api/models/errors.h"
#include "test/bbs/api/client/client_harness.h"

namespace cupola::bbs::test {
namespace {

ErrorType type_of(const Status& s) {
  return s ? ErrorType::UnknownError : error_type_of(s.error());
}

// Every row of (guid, index), in presence order.
std::vector<ActualLrp> rows_of(BbsWithClients& t, const std::string& guid, std::int32_t index) {
  ActualLrpQuery query;
  query.process_guid = guid;
  query.index = index;
  auto rows = t.run(t.bbs.actual_lrps(query));
  REQUIRE(rows.ok());
  return *rows;
}

const ActualLrp* with_presence(const std::vector<ActualLrp>& rows, Presence p) {
  for (const auto& r : rows) {
    if (r.presence == p) return &r;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("HttpBbsClient evacuation: a running instance serves until its replacement runs",
          "[integration]") {
  BbsWithClients t;
  REQUIRE(t.run(t.bbs.desire_lrp(sample_lrp("app", 1))).ok());
  REQUIRE(t.run(t.bbs.claim_actual_lrp("app", 0, instance_on("draining"))).ok());
  const ActualLrpStart running = start_on("app", 0, "draining");
  REQUIRE(t.run(t.bbs.start_actual_lrp(running)).ok());

  auto keep = t.run(t.bbs.evacuate_running_actual_lrp(running));
  REQUIRE(keep.ok());
  CHECK(*keep);
  auto rows = rows_of(t, "app", 0);
  REQUIRE(rows.size() == 2);
  const ActualLrp* evacuating = with_presence(rows, Presence::Evacuating);
  const ActualLrp* ordinary = with_presence(rows, Presence::Ordinary);
  REQUIRE(evacuating);
  REQUIRE(ordinary);
  CHECK(evacuating->state == ActualLrpState::Running);
  CHECK(evacuating->instance_key == instance_on("draining"));
  CHECK(evacuating->net_info == running.net_info);
  CHECK(evacuating->availability_zone == "z1");
  CHECK(ordinary->state == ActualLrpState::Unclaimed);
  CHECK(ordinary->instance_key.empty());

  SECTION("when the replacement is claimed and started elsewhere, the evacuating row goes") {
    REQUIRE(t.run(t.clients.other.claim_actual_lrp("app", 0, instance_on("cell-2"))).ok());
    auto still = t.run(t.bbs.evacuate_running_actual_lrp(running));
    REQUIRE(still.ok());
    CHECK(*still);
    CHECK(rows_of(t, "app", 0).size() == 2);

    REQUIRE(t.run(t.clients.other.start_actual_lrp(start_on("app", 0, "cell-2"))).ok());
    rows = rows_of(t, "app", 0);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].presence == Presence::Ordinary);
    CHECK(rows[0].state == ActualLrpState::Running);
    CHECK(rows[0].instance_key == instance_on("cell-2"));

    auto done = t.run(t.bbs.evacuate_running_actual_lrp(running));
    REQUIRE(done.ok());
    CHECK_FALSE(*done);
  }
  SECTION("when the draining rep stops its copy, only the ordinary row is left") {
    auto stopped = t.run(t.bbs.evacuate_stopped_actual_lrp(running.key, instance_on("draining")));
    REQUIRE(stopped.ok());
    CHECK_FALSE(*stopped);
    rows = rows_of(t, "app", 0);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].presence == Presence::Ordinary);
    auto again = t.run(t.bbs.evacuate_stopped_actual_lrp(running.key, instance_on("draining")));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorType::ResourceNotFound);
  }
  SECTION("remove_evacuating: another instance's key is refused, then the row goes, then 404") {
    auto wrong = t.run(t.bbs.remove_evacuating_actual_lrp(running.key, instance_on("cell-2")));
    CHECK(type_of(wrong) == ErrorType::ActualLRPCannotBeRemoved);
    CHECK(rows_of(t, "app", 0).size() == 2);
    REQUIRE(t.run(t.bbs.remove_evacuating_actual_lrp(running.key, instance_on("draining"))).ok());
    CHECK(with_presence(rows_of(t, "app", 0), Presence::Evacuating) == nullptr);
    auto gone = t.run(t.bbs.remove_evacuating_actual_lrp(running.key, instance_on("draining")));
    CHECK(type_of(gone) == ErrorType::ResourceNotFound);
  }
}

TEST_CASE("HttpBbsClient evacuation of claimed and crashed instances", "[integration]") {
  BbsWithClients t;
  REQUIRE(t.run(t.bbs.desire_lrp(sample_lrp("app", 2))).ok());
  const ActualLrpKey key0{"app", 0, "cf-apps"};
  const ActualLrpKey key1{"app", 1, "cf-apps"};

  SECTION("a claimed instance goes back to UNCLAIMED and the container is not kept") {
    REQUIRE(t.run(t.bbs.claim_actual_lrp("app", 0, instance_on("draining"))).ok());
    auto keep = t.run(t.bbs.evacuate_claimed_actual_lrp(key0, instance_on("draining")));
    REQUIRE(keep.ok());
    CHECK_FALSE(*keep);
    auto rows = rows_of(t, "app", 0);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].state == ActualLrpState::Unclaimed);
  }
  SECTION("a crash is counted; another cell's instance cannot be crashed") {
    REQUIRE(t.run(t.bbs.claim_actual_lrp("app", 1, instance_on("draining"))).ok());
    REQUIRE(t.run(t.bbs.start_actual_lrp(start_on("app", 1, "draining"))).ok());
    auto other = t.run(t.bbs.evacuate_crashed_actual_lrp(key1, instance_on("cell-2"), "oom"));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == ErrorType::ActualLRPCannotBeCrashed);
    auto keep = t.run(t.bbs.evacuate_crashed_actual_lrp(key1, instance_on("draining"), "oom"));
    REQUIRE(keep.ok());
    CHECK_FALSE(*keep);
    auto rows = rows_of(t, "app", 1);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].crash_count == 1);
    CHECK(rows[0].crash_reason == "oom");
    CHECK(rows[0].instance_key.empty());
  }
  SECTION("remove_evacuating without an evacuating row is ResourceNotFound") {
    auto s = t.run(t.bbs.remove_evacuating_actual_lrp(key0, instance_on("draining")));
    CHECK(type_of(s) == ErrorType::ResourceNotFound);
  }
  SECTION("a request without an instance key is InvalidRequest naming it") {
    auto bad = t.run(t.bbs.evacuate_claimed_actual_lrp(key0, ActualLrpInstanceKey{}));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorType::InvalidRequest);
    CHECK(bad.error().message == "Invalid field: actual_lrp_instance_key");
  }
}

}  // namespace cupola::bbs::test
