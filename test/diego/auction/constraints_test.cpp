// Which cells can run a piece of work at all: root filesystem, volume drivers, placement tags.
#include <catch2/catch.hpp>

#include "diego/auction/constraints.h"
#include "test/diego/auction/fixtures.h"

namespace cupola::auction {
namespace {

using testing::cell;

TEST_CASE("parse_root_fs splits the scheme from the stack", "[auction][constraints]") {
  SECTION("when the URL is preloaded:<stack>") {
    const auto url = parse_root_fs("preloaded:cflinuxfs4");
    CHECK(url.scheme == "preloaded");
    CHECK(url.opaque == "cflinuxfs4");
  }
  SECTION("when the URL carries a query, the stack ends before it") {
    CHECK(parse_root_fs("preloaded+layer:cflinuxfs4?layer=http://x/y.tgz").opaque == "cflinuxfs4");
  }
  SECTION("when the URL has a path it has no stack") {
    const auto url = parse_root_fs("docker:///cloudfoundry/grace");
    CHECK(url.scheme == "docker");
    CHECK(url.opaque.empty());
  }
  SECTION("when there is no scheme") {
    CHECK(parse_root_fs("cflinuxfs4").scheme.empty());
    CHECK(parse_root_fs(":cflinuxfs4").scheme.empty());
    CHECK(parse_root_fs("").scheme.empty());
  }
}

TEST_CASE("match_root_fs needs the stack or the image scheme on the cell",
          "[auction][constraints]") {
  CellState c = cell("a");
  SECTION("when the cell has the preloaded stack") {
    CHECK(match_root_fs(c, "preloaded:cflinuxfs4"));
    CHECK(match_root_fs(c, "preloaded+layer:cflinuxfs4?layer=http://x/y.tgz"));
  }
  SECTION("when the cell lacks the stack") {
    CHECK_FALSE(match_root_fs(c, "preloaded:cflinuxfs3"));
  }
  SECTION("when the work is a docker image") {
    CHECK_FALSE(match_root_fs(c, "docker:///busybox"));
    c.image_schemes = {"docker"};
    CHECK(match_root_fs(c, "docker:///busybox"));
  }
  SECTION("when the root_fs is empty or has no scheme") {
    CHECK_FALSE(match_root_fs(c, ""));
    CHECK_FALSE(match_root_fs(c, "cflinuxfs4"));
  }
  SECTION("when a stack name is used as a scheme it does not match") {
    c.image_schemes = {"docker"};
    CHECK_FALSE(match_root_fs(c, "cflinuxfs4:x"));
  }
}

TEST_CASE("match_volume_drivers needs every requested driver", "[auction][constraints]") {
  CellState c = cell("a");
  c.volume_drivers = {"nfsv3driver", "smbdriver"};
  CHECK(match_volume_drivers(c, {}));
  CHECK(match_volume_drivers(c, {"smbdriver"}));
  CHECK(match_volume_drivers(c, {"nfsv3driver", "smbdriver"}));
  CHECK_FALSE(match_volume_drivers(c, {"nfsv3driver", "cephdriver"}));
}

TEST_CASE("match_placement_tags matches tags exactly", "[auction][constraints]") {
  CellState c = cell("a");
  SECTION("when the cell has no tags only untagged work fits") {
    CHECK(match_placement_tags(c, {}));
    CHECK_FALSE(match_placement_tags(c, {"gpu"}));
  }
  SECTION("when the cell requires a tag, work must ask for it") {
    c.placement_tags = {"gpu"};
    CHECK(match_placement_tags(c, {"gpu"}));
    CHECK_FALSE(match_placement_tags(c, {}));
    CHECK_FALSE(match_placement_tags(c, {"gpu", "ssd"}));
  }
  SECTION("when the cell has optional tags, work may ask for them or not") {
    c.placement_tags = {"gpu"};
    c.optional_placement_tags = {"ssd"};
    CHECK(match_placement_tags(c, {"gpu"}));
    CHECK(match_placement_tags(c, {"ssd", "gpu"}));
    CHECK_FALSE(match_placement_tags(c, {"ssd"}));
  }
  SECTION("when the work repeats a tag it counts once") {
    c.placement_tags = {"gpu"};
    CHECK(match_placement_tags(c, {"gpu", "gpu"}));
  }
}

TEST_CASE("check_constraint reports the first failed check", "[auction][constraints]") {
  CellState c = cell("a");
  c.volume_drivers = {"nfsv3driver"};
  c.placement_tags = {"gpu"};
  PlacementConstraint pc{.root_fs = "preloaded:cflinuxfs3",
                         .placement_tags = {"ssd"},
                         .volume_drivers = {"smbdriver"}};
  CHECK(check_constraint(c, pc) == Mismatch::RootFs);
  pc.root_fs = "preloaded:cflinuxfs4";
  CHECK(check_constraint(c, pc) == Mismatch::VolumeDrivers);
  pc.volume_drivers = {"nfsv3driver"};
  CHECK(check_constraint(c, pc) == Mismatch::PlacementTags);
  pc.placement_tags = {"gpu"};
  CHECK(check_constraint(c, pc) == Mismatch::None);
}

TEST_CASE("mismatch_reason words each mismatch as Cloud Foundry does", "[auction][constraints]") {
  const PlacementConstraint pc{.root_fs = "preloaded:x", .placement_tags = {"gpu", "ssd"}};
  CHECK(mismatch_reason(Mismatch::RootFs, pc) == "found no compatible cell for required rootfs");
  CHECK(mismatch_reason(Mismatch::VolumeDrivers, pc) ==
        "found no compatible cell with required volume drivers");
  CHECK(mismatch_reason(Mismatch::PlacementTags, pc) ==
        "found no compatible cell with placement tags \"gpu\" and \"ssd\"");
}

}  // namespace
}  // namespace cupola::auction
