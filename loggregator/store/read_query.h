#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/core/result.h"
#include "loggregator/api/envelope.h"

namespace cupola::logstore {

using loggregator::EnvelopeType;

// log-cache's read limits: 100 envelopes unless asked, never more than 1000.
inline constexpr int kDefaultReadLimit = 100;
inline constexpr int kMaxReadLimit = 1000;

// A set of envelope types; empty means every type.
class EnvelopeTypeSet {
 public:
  void add(EnvelopeType t) { bits_ |= bit(t); }
  bool contains(EnvelopeType t) const { return (bits_ & bit(t)) != 0; }
  bool empty() const { return bits_ == 0; }
  // True when the set is empty (no filter) or holds `t`.
  bool admits(EnvelopeType t) const { return empty() || contains(t); }
  bool operator==(const EnvelopeTypeSet&) const = default;

 private:
  static unsigned bit(EnvelopeType t) { return 1u << static_cast<unsigned>(t); }
  unsigned bits_ = 0;
};

// One read of a source's envelopes, as log-cache's GET /api/v1/read/<source_id> takes it:
// envelopes with start_time <= timestamp < end_time, of the given types, at most `limit`,
// oldest first; with `descending`, the newest `limit` of them, newest first.
struct ReadQuery {
  std::int64_t start_time = 0;           // ns, inclusive
  std::optional<std::int64_t> end_time;  // ns, exclusive; absent: the reader's now
  EnvelopeTypeSet envelope_types;        // empty: every type
  int limit = kDefaultReadLimit;         // 1..kMaxReadLimit
  bool descending = false;
};

// InvalidArgument when the limit is outside 1..1000, or an end_time is given and start_time
// is after it.
Status validate(const ReadQuery& q);

// Parses a URL query (what follows '?', percent-encoded) into a ReadQuery:
//   start_time, end_time   decimal ns; a negative start_time (the cf CLI sends one for "from
//                          the beginning") reads as 0
//   envelope_types         LOG, COUNTER, GAUGE, TIMER, EVENT; repeatable, and comma-separated
//                          lists are read too (envelope_types=LOG,GAUGE); ANY is ignored, as
//                          log-cache ignores it (alone it leaves every type)
//   limit                  1..1000; 0 reads as the default, as log-cache does
//   descending             true/false (also 1/0); empty means true
// Other parameters (name_filter, say) are ignored. Errors: InvalidArgument naming the
// parameter and the rule ("limit must be between 1 and 1000, got 5000").
Result<ReadQuery> parse_read_query(std::string_view query);

}  // namespace cupola::logstore
