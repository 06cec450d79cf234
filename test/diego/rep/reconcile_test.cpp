#include "diego/rep/src/reconcile.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::rep;
using Kind = ReconcileOp::Kind;

namespace {

bbs::ActualLrp lrp(std::string guid, std::string cell, bbs::ActualLrpState state,
                   bbs::Presence presence = bbs::Presence::Ordinary) {
  bbs::ActualLrp a;
  a.key = {"web", 0, "cf-apps"};
  a.instance_key = {std::move(guid), std::move(cell)};
  a.state = state;
  a.presence = presence;
  return a;
}

bbs::Task task(std::string guid, std::string cell, bbs::TaskState state) {
  bbs::Task t;
  t.task_guid = std::move(guid);
  t.cell_id = std::move(cell);
  t.state = state;
  return t;
}

}  // namespace

TEST_CASE("an instance the BBS no longer places here is stopped") {
  auto ops = reconcile(
      "cell-1", {lrp("i-2", "cell-1", bbs::ActualLrpState::Running)}, {},
      {{"i-1", {"web", 0, "cf-apps"}, true, 100}, {"i-2", {"web", 1, "cf-apps"}, true, 100}}, {},
      1000);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].kind == Kind::StopInstance);
  CHECK(ops[0].guid == "i-1");
  CHECK(ops[0].instance_key == bbs::ActualLrpInstanceKey{"i-1", "cell-1"});
}

TEST_CASE("work claimed after the snapshot began, or not yet claimed, is left alone") {
  auto ops = reconcile("cell-1", {}, {},
                       {{"i-1", {"web", 0, ""}, true, 1000}, {"i-2", {"web", 1, ""}, false, 0}},
                       {{"t-1", true, 2000}, {"t-2", false, 0}}, 1000);
  CHECK(ops.empty());
}

TEST_CASE("an instance the BBS thinks runs here without a container is reported crashed") {
  auto ops =
      reconcile("cell-1",
                {lrp("i-9", "cell-1", bbs::ActualLrpState::Running),
                 lrp("i-8", "cell-1", bbs::ActualLrpState::Claimed),
                 lrp("i-7", "cell-2", bbs::ActualLrpState::Running),
                 lrp("i-6", "cell-1", bbs::ActualLrpState::Crashed),
                 lrp("i-5", "cell-1", bbs::ActualLrpState::Running, bbs::Presence::Evacuating)},
                {}, {}, {}, 1000);
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].kind == Kind::CrashLrp);
  CHECK(ops[0].guid == "i-9");
  CHECK(ops[0].reason == kMissingInstanceReason);
  CHECK(ops[1].guid == "i-8");
}

TEST_CASE("tasks: stopped when the BBS no longer runs them here, failed when lost") {
  auto ops = reconcile("cell-1", {},
                       {task("t-1", "cell-1", bbs::TaskState::Running),
                        task("t-2", "cell-1", bbs::TaskState::Completed),
                        task("t-3", "cell-1", bbs::TaskState::Running)},
                       {}, {{"t-1", true, 10}, {"t-2", true, 10}}, 1000);
  REQUIRE(ops.size() == 2);
  CHECK(ops[0] == ReconcileOp{Kind::StopTask, "t-2", {}, {}, ""});
  CHECK(ops[1] == ReconcileOp{Kind::FailTask, "t-3", {}, {}, kMissingTaskReason});
}
