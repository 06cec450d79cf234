#include "bbs/api/models/actual_lrp.h"

#include <catch2/catch.hpp>

using namespace cupola::bbs;
using S = ActualLrpState;

namespace {

ActualLrp lrp_in(S state, ActualLrpInstanceKey ik = {}) {
  ActualLrp l;
  l.key = {"pg-1", 0, "cf-apps"};
  l.state = state;
  l.instance_key = std::move(ik);
  l.since = 1;
  return l;
}

const ActualLrpInstanceKey kMine{"ig-1", "cell-1"};
const ActualLrpInstanceKey kOther{"ig-2", "cell-2"};
const ActualLrpInstanceKey kEmpty{};

}  // namespace

TEST_CASE("ActualLRP transitions follow Diego's table") {
  const ActualLrpKey key{"pg-1", 0, "cf-apps"};

  SECTION("from UNCLAIMED anything but CRASHED") {
    auto l = lrp_in(S::Unclaimed);
    CHECK(allows_transition(l, key, kEmpty, S::Unclaimed));
    CHECK(allows_transition(l, key, kMine, S::Claimed));
    CHECK(allows_transition(l, key, kMine, S::Running));
    CHECK_FALSE(allows_transition(l, key, kMine, S::Crashed));
  }
  SECTION("from CLAIMED: running with any key, the rest only by its holder") {
    auto l = lrp_in(S::Claimed, kMine);
    CHECK(allows_transition(l, key, kEmpty, S::Unclaimed));
    CHECK_FALSE(allows_transition(l, key, kMine, S::Unclaimed));
    CHECK(allows_transition(l, key, kMine, S::Claimed));
    CHECK_FALSE(allows_transition(l, key, kOther, S::Claimed));
    CHECK(allows_transition(l, key, kOther, S::Running));
    CHECK(allows_transition(l, key, kMine, S::Crashed));
    CHECK_FALSE(allows_transition(l, key, kOther, S::Crashed));
  }
  SECTION("from RUNNING only by its holder") {
    auto l = lrp_in(S::Running, kMine);
    CHECK(allows_transition(l, key, kMine, S::Running));
    CHECK_FALSE(allows_transition(l, key, kOther, S::Running));
    CHECK_FALSE(allows_transition(l, key, kOther, S::Claimed));
    CHECK(allows_transition(l, key, kMine, S::Crashed));
    CHECK(allows_transition(l, key, kEmpty, S::Unclaimed));
  }
  SECTION("from CRASHED it must be unclaimed first") {
    auto l = lrp_in(S::Crashed);
    CHECK(allows_transition(l, key, kEmpty, S::Unclaimed));
    CHECK_FALSE(allows_transition(l, key, kMine, S::Claimed));
    CHECK_FALSE(allows_transition(l, key, kMine, S::Running));
    CHECK_FALSE(allows_transition(l, key, kEmpty, S::Crashed));
  }
  SECTION("another key never transitions") {
    auto l = lrp_in(S::Unclaimed);
    CHECK_FALSE(allows_transition(l, {"pg-1", 1, "cf-apps"}, kMine, S::Claimed));
    CHECK_FALSE(allows_transition(l, {"pg-2", 0, "cf-apps"}, kMine, S::Claimed));
  }
}

TEST_CASE("ActualLRP records are validated per state") {
  auto l = lrp_in(S::Running, kMine);
  CHECK(validate(l) == std::vector<std::string>{"Invalid field: address"});
  l.net_info.address = "10.0.0.1";
  CHECK(validate(l).empty());
  auto c = lrp_in(S::Crashed, kMine);
  CHECK(validate(c) == std::vector<std::string>{"Invalid field: actual_lrp_instance_key"});
  auto bad = lrp_in(S::Unclaimed);
  bad.key = {"", -1, ""};
  bad.since = 0;
  CHECK(validate(bad).size() == 4);
}

TEST_CASE("reasons are truncated to 1024 bytes") {
  CHECK(truncate_reason("short") == "short");
  auto t = truncate_reason(std::string(5000, 'x'));
  CHECK(t.size() == kMaxReasonBytes);
  CHECK(t.ends_with("(truncated)"));
}

TEST_CASE("modification tags") {
  ModificationTag a{"e1", 3};
  CHECK(a.incremented() == ModificationTag{"e1", 4});
  CHECK(a.succeeded_by({"e1", 4}));
  CHECK_FALSE(a.succeeded_by({"e1", 3}));
  CHECK(a.succeeded_by({"e2", 0}));
}
