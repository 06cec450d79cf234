#include "loggregator/store/source_ring.h"

#include <cassert>

namespace cupola::logstore {

void SourceRing::insert(EnvelopePtr e, std::size_t bytes) {
  bytes_ += bytes;
  const std::int64_t t = e->timestamp;
  // The usual case is newest-yet: the hint makes it constant time. Either way an equal key
  // goes after those already there, which keeps arrival order among equal timestamps.
  entries_.emplace_hint(entries_.end(), t, Value{bytes, std::move(e)});
}

SourceRing::Entry SourceRing::pop_oldest() {
  assert(!entries_.empty());
  auto it = entries_.begin();
  Entry e{it->first, it->second.bytes, std::move(it->second.envelope)};
  entries_.erase(it);
  bytes_ -= e.bytes;
  return e;
}

void SourceRing::collect(std::int64_t start, std::int64_t end, const EnvelopeTypeSet& types,
                         std::size_t limit, bool descending, std::vector<EnvelopePtr>& out) const {
  if (start >= end || limit == 0) return;
  auto first = entries_.lower_bound(start);
  auto last = entries_.lower_bound(end);
  std::size_t taken = 0;
  auto take = [&](const Value& v) {
    if (!types.admits(v.envelope->type())) return;
    out.push_back(v.envelope);
    ++taken;
  };
  if (!descending) {
    for (auto it = first; it != last && taken < limit; ++it) take(it->second);
    return;
  }
  for (auto it = last; it != first && taken < limit;) take((--it)->second);
}

}  // namespace cupola::logstore
