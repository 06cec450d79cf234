#include "common/pg/backoff.h"

#include <algorithm>

namespace cupola::pg {

std::chrono::milliseconds Backoff::next() {
  auto current = std::min(next_, options_.max);
  auto grown = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(
      static_cast<double>(current.count()) * std::max(options_.multiplier, 1.0)));
  next_ = std::min(std::max(grown, current), options_.max);
  return current;
}

}  // namespace cupola::pg
