#pragma once

// Helpers for the actual LRP contract tests: seeding rows through mutate() and reading
// them back.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "test/bbs/db/backend.h"

namespace cupola::bbs::contract {

inline ActualLrpChanges creating(std::vector<ActualLrp> lrps) {
  ActualLrpChanges c;
  c.created = std::move(lrps);
  return c;
}

inline void seed(Backend& b, const std::vector<ActualLrp>& lrps) {
  for (const auto& lrp : lrps) {
    auto r = b.run(
        b.actual_lrps().mutate(lrp.key.process_guid, lrp.key.index,
                               [lrp](const std::vector<ActualLrp>&) -> Result<ActualLrpChanges> {
                                 return creating({lrp});
                               }));
    REQUIRE(r);
  }
}

inline std::vector<ActualLrp> list(Backend& b, ActualLrpFilter filter = {}) {
  auto r = b.run(b.actual_lrps().list(std::move(filter)));
  REQUIRE(r);
  return std::move(r).value();
}

// "a/0/ORDINARY" for each row, in order.
inline std::vector<std::string> keys(const std::vector<ActualLrp>& lrps) {
  std::vector<std::string> out;
  for (const auto& l : lrps) {
    out.push_back(l.key.process_guid + "/" + std::to_string(l.key.index) + "/" +
                  std::string(to_string(l.presence)));
  }
  return out;
}

using Keys = std::vector<std::string>;

}  // namespace cupola::bbs::contract
