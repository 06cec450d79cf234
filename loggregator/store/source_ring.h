#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "loggregator/store/read_query.h"
#include "loggregator/store/tail_sink.h"

namespace cupola::logstore {

// The envelopes of one source, ordered by timestamp (equal timestamps in arrival order), the
// oldest first. Producers' clocks and batches interleave, so envelopes arrive out of order,
// some by seconds: a balanced tree (as log-cache's AVL tree) keeps a late insert at O(log n)
// wherever it lands, and an in-order one at O(1). Bounds are the store's business. Not
// thread-safe.
class SourceRing {
 public:
  struct Entry {
    std::int64_t timestamp;
    std::size_t bytes;  // approximate memory, as the store accounts it
    EnvelopePtr envelope;
  };
  // Memory one entry costs beyond the envelope: a tree node with its allocation header, and
  // the shared_ptr's control block with its own.
  static constexpr std::size_t kEntryOverhead = 112;

  void insert(EnvelopePtr e, std::size_t bytes);
  // Removes the entry with the smallest timestamp. Not on an empty ring.
  Entry pop_oldest();

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  // Not on an empty ring.
  std::int64_t oldest_timestamp() const { return entries_.begin()->first; }
  std::int64_t newest_timestamp() const { return entries_.rbegin()->first; }

  // Appends to `out` the envelopes with start <= timestamp < end whose type `types` admits:
  // the first `limit` in ascending order, or with `descending` the last `limit`, newest first.
  void collect(std::int64_t start, std::int64_t end, const EnvelopeTypeSet& types,
               std::size_t limit, bool descending, std::vector<EnvelopePtr>& out) const;

 private:
  struct Value {
    std::size_t bytes;
    EnvelopePtr envelope;
  };
  std::multimap<std::int64_t, Value> entries_;
  std::size_t bytes_ = 0;
};

}  // namespace cupola::logstore
