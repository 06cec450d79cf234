#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "loggregator/api/envelope.h"

namespace cupola::logstore {

using EnvelopePtr = std::shared_ptr<const loggregator::Envelope>;

// The live feed of one tail subscriber (a streaming reader): a bounded queue the store fills
// as envelopes arrive and the subscriber drains at its own pace. A subscriber that falls
// behind loses envelopes, never slows ingest: when the queue is full the oldest queued
// envelope is dropped and counted.
//
// Thread-safe: the store offers under its lock from the ingest thread; the subscriber takes
// from its own thread.
class TailSink {
 public:
  explicit TailSink(std::size_t capacity = 10'000);

  // Sets what to call when an offer finds the queue empty (the subscriber may be waiting).
  // It runs on the offering thread while the store's lock is held: it must only schedule
  // work (asio::post, say) and never call the store. Set it before subscribing.
  void on_ready(std::function<void()> notify) { notify_ = std::move(notify); }

  // Queues `e`; false when that pushed out the oldest queued envelope (a drop).
  bool offer(EnvelopePtr e);

  // Removes and returns up to `max` queued envelopes, oldest first.
  std::vector<EnvelopePtr> take(std::size_t max = std::numeric_limits<std::size_t>::max());

  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }
  // Envelopes dropped because the queue was full.
  std::uint64_t dropped() const;

 private:
  const std::size_t capacity_;
  std::function<void()> notify_;
  mutable std::mutex mu_;
  std::deque<EnvelopePtr> queue_;
  std::uint64_t dropped_ = 0;
};

}  // namespace cupola::logstore
