#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "common/core/time.h"
#include "loggregator/api/codec.h"
#include "loggregator/api/envelope.h"

namespace cupola::loggregator {

inline constexpr std::string_view kLogsSubjectPrefix = "logs.";

struct BatcherOptions {
  // The buffer across every source. Beyond either bound the oldest envelopes are dropped.
  std::size_t max_buffered_envelopes = 10'000;
  std::size_t max_buffered_bytes = 16 * 1024 * 1024;  // approximate_size()
  // One published batch: at most this many envelopes, and at most this many bytes encoded
  // (keep it within the NATS server's max_payload).
  std::size_t max_batch_envelopes = 500;
  std::size_t max_batch_bytes = 512 * 1024;
  // A source's envelopes wait at most about this long for their batch to fill.
  std::chrono::milliseconds flush_interval{100};
  EncodeOptions encoding;
};

// The envelopes of one source ready to go, oldest first.
struct PendingBatch {
  std::string source_id;
  std::vector<Envelope> envelopes;
};

// A batch to publish: `payload` ({"batch":[...]}) goes to `subject` (logs.<source_id>).
struct EncodedBatch {
  std::string subject;
  std::string source_id;
  std::string payload;
  std::size_t envelopes = 0;
};

// Encodes pending batches into documents of at most `max_bytes` each, per source, in order.
// Envelopes too large for any batch are left out and added to `too_large`.
std::vector<EncodedBatch> encode_pending(std::vector<PendingBatch> pending, std::size_t max_bytes,
                                         const EncodeOptions& options, std::size_t& too_large);

// The producer side of the log path, without I/O: a bounded buffer of envelopes grouped by
// source that never makes a producer wait. When full it drops the oldest envelopes (of any
// source) and counts them. A source's envelopes become due when they fill a batch (by count or
// estimated encoded bytes) or when the oldest of them has waited flush_interval; the caller
// takes what is due and publishes it. Time comes in as arguments.
//
// Not thread-safe: LogClient guards it with a mutex.
class LogBatcher {
 public:
  explicit LogBatcher(BatcherOptions options = {});

  // Buffers `e`, dropping the oldest buffered envelopes while the buffer is over its bounds
  // (possibly `e` itself when it alone exceeds max_buffered_bytes). True when e's source now
  // has a full batch: the caller should take() soon rather than wait for its timer.
  bool add(Envelope e, TimePoint now);

  // Removes and returns the due envelopes: of every source with a full batch or whose oldest
  // envelope arrived at or before now - flush_interval; with `all`, of every source. Each
  // PendingBatch holds at most max_batch_envelopes (and about max_batch_bytes) envelopes of
  // one source in arrival order; a source's batches come back in order.
  std::vector<PendingBatch> take(TimePoint now, bool all = false);

  // take(), then encode_pending() with the configured limits.
  std::vector<EncodedBatch> flush(TimePoint now, bool all = false);

  std::size_t buffered() const { return count_; }
  std::size_t buffered_bytes() const { return bytes_; }
  // Envelopes dropped because the buffer was full.
  std::uint64_t dropped() const { return dropped_; }
  // Envelopes flush() left out because they do not fit in one batch.
  std::uint64_t dropped_too_large() const { return dropped_too_large_; }
  const BatcherOptions& options() const { return options_; }

 private:
  struct Item {
    std::uint64_t seq;
    TimePoint arrived;
    std::size_t bytes;          // approximate_size: the buffer's bound
    std::size_t encoded_bytes;  // estimate_encoded_size: the batch's bound
    Envelope envelope;
  };
  struct Source {
    std::string id;
    std::deque<Item> items;
    std::size_t encoded_bytes = 0;
  };

  bool batch_full(const Source& s) const;
  void drop_oldest();
  void take_source(Source& s, std::vector<PendingBatch>& out);

  BatcherOptions options_;
  std::map<std::string, Source, std::less<>> sources_;
  // Every non-empty source by the sequence number of its oldest envelope: begin() holds the
  // oldest envelope of the whole buffer.
  std::map<std::uint64_t, Source*> oldest_;
  std::uint64_t next_seq_ = 0;
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_too_large_ = 0;
};

}  // namespace cupola::loggregator
