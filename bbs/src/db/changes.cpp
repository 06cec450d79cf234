#include "bbs/src/db/actual_lrp_db.h"

namespace cupola::bbs {

void ActualLrpChanges::append(ActualLrpChanges other) {
  for (auto& c : other.created) created.push_back(std::move(c));
  for (auto& c : other.changed) changed.push_back(std::move(c));
  for (auto& r : other.removed) removed.push_back(std::move(r));
}

}  // namespace cupola::bbs
