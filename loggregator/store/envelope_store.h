#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "loggregator/api/codec.h"
#include "loggregator/api/envelope.h"
#include "loggregator/store/read_query.h"
#include "loggregator/store/source_ring.h"
#include "loggregator/store/tail_sink.h"

namespace cupola::logstore {

struct StoreOptions {
  // log-cache's default per source.
  std::size_t max_per_source = 100'000;
  // Across every source, by approximate_size() plus bookkeeping.
  std::size_t max_bytes = 256 * 1024 * 1024;
};

// log-cache's /api/v1/meta fields for one source.
struct SourceMeta {
  std::int64_t count = 0;
  std::int64_t expired = 0;  // evicted so far
  std::int64_t oldest_timestamp = 0;
  std::int64_t newest_timestamp = 0;
  bool operator==(const SourceMeta&) const = default;
};

// For /varz. The counters only grow; the last four are current values.
struct StoreCounters {
  std::uint64_t ingress = 0;  // envelopes stored
  std::uint64_t egress = 0;   // envelopes returned by reads and handed to tails
  // Drops, by reason.
  std::uint64_t evicted_source_limit = 0;  // a source's ring was full
  std::uint64_t evicted_memory = 0;        // the memory cap was reached
  std::uint64_t subscriber_slow = 0;       // a tail's queue was full
  std::uint64_t decode_error = 0;          // batches that could not be decoded
  std::uint64_t invalid = 0;               // envelopes without a source_id
  std::size_t envelopes = 0;
  std::size_t bytes = 0;
  std::size_t sources = 0;
  std::size_t subscribers = 0;
};

using SubscriptionId = std::uint64_t;

// What subscribe() returns: the envelopes already stored from start_time on (oldest first),
// and the id to unsubscribe with. Every envelope of the source with a timestamp at or after
// start_time is in exactly one of the backlog and the sink, but for what max_backlog leaves
// out and what a full sink drops (TailSink).
struct Tail {
  SubscriptionId id = 0;
  std::vector<EnvelopePtr> backlog;
};

// The log store's memory (log-cache's store): a ring per source_id holding at most
// max_per_source envelopes, and a cap on the memory of all rings together. Both evict the
// oldest first: a full ring its own oldest envelope; the memory cap the oldest envelope of the
// source holding the oldest data, as log-cache's pruning does. A source left empty is
// forgotten. Reads see envelopes in timestamp order whatever order they arrived in.
//
// Thread-safe: one mutex guards everything. Pure otherwise: "now" is an argument.
class EnvelopeStore {
 public:
  explicit EnvelopeStore(StoreOptions options = {});

  // Stores `e`, evicts what the bounds require and hands `e` to the source's tails. False
  // (counted as invalid) when e has no source_id.
  bool put(EnvelopePtr e);
  bool put(loggregator::Envelope e);

  // Decodes a batch as published on logs.<source_id> and stores its envelopes. Errors: those
  // of decode_batch; a batch that fails is counted in decode_error and nothing of it is kept.
  Result<std::size_t> ingest(std::string_view batch_json,
                             const loggregator::CodecLimits& limits = {});
  // Counts batches the caller could not decode itself.
  void count_decode_error(std::uint64_t batches = 1);

  // The source's envelopes matching `q` (see ReadQuery); an end_time left open means `now`
  // (ns). An unknown source reads as empty. Errors: those of validate(q).
  Result<std::vector<EnvelopePtr>> read(std::string_view source_id, const ReadQuery& q,
                                        std::int64_t now) const;

  std::map<std::string, SourceMeta> meta() const;

  // Returns the stored envelopes of `source_id` from `start_time` on (at most the newest
  // `max_backlog`) and, atomically with that, registers `sink` for every envelope stored later
  // with a timestamp at or after start_time. The sink may be shared with nothing else.
  Tail subscribe(std::string source_id, std::int64_t start_time, std::shared_ptr<TailSink> sink,
                 std::size_t max_backlog = std::numeric_limits<std::size_t>::max());
  // No offer reaches the sink after this returns. Unknown ids are ignored.
  void unsubscribe(SubscriptionId id);

  StoreCounters counters() const;
  const StoreOptions& options() const { return options_; }

 private:
  struct Source {
    std::string id;
    SourceRing ring;
    std::int64_t expired = 0;
  };
  struct Subscriber {
    SubscriptionId id;
    std::int64_t start_time;
    std::shared_ptr<TailSink> sink;
  };
  using Subscribers = std::multimap<std::string, Subscriber, std::less<>>;

  void put_locked(EnvelopePtr e);
  void evict_oldest_of(Source& s);
  void forget_if_empty(Source& s);
  void deliver_locked(const EnvelopePtr& e);

  const StoreOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Source>, std::less<>> sources_;
  // Every non-empty source by the timestamp of its oldest envelope; begin() holds the oldest
  // data of the store.
  std::set<std::pair<std::int64_t, Source*>> by_oldest_;
  std::size_t bytes_ = 0;
  std::size_t envelopes_ = 0;
  Subscribers subscribers_;  // by source_id
  std::map<SubscriptionId, Subscribers::iterator> subscription_index_;
  SubscriptionId next_subscription_ = 1;
  mutable StoreCounters counters_;
};

}  // namespace cupola::logstore
