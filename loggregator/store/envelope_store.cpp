#include "loggregator/store/envelope_store.h"

#include <algorithm>
#include <cassert>

namespace cupola::logstore {

EnvelopeStore::EnvelopeStore(StoreOptions options) : options_(options) {
  assert(options_.max_per_source > 0);
}

bool EnvelopeStore::put(loggregator::Envelope e) {
  return put(std::make_shared<const loggregator::Envelope>(std::move(e)));
}

bool EnvelopeStore::put(EnvelopePtr e) {
  std::lock_guard lock(mu_);
  if (!e || e->source_id.empty()) {
    ++counters_.invalid;
    return false;
  }
  put_locked(std::move(e));
  return true;
}

Result<std::size_t> EnvelopeStore::ingest(std::string_view batch_json,
                                          const loggregator::CodecLimits& limits) {
  auto batch = loggregator::decode_batch(batch_json, limits);
  if (!batch) {
    count_decode_error();
    return std::move(batch).error();
  }
  // Allocate outside the lock; hold it once for the whole batch.
  std::vector<EnvelopePtr> envelopes;
  envelopes.reserve(batch->size());
  for (auto& e : *batch) {
    envelopes.push_back(std::make_shared<const loggregator::Envelope>(std::move(e)));
  }
  std::lock_guard lock(mu_);
  for (auto& e : envelopes) put_locked(std::move(e));
  return envelopes.size();
}

void EnvelopeStore::count_decode_error(std::uint64_t batches) {
  std::lock_guard lock(mu_);
  counters_.decode_error += batches;
}

void EnvelopeStore::put_locked(EnvelopePtr e) {
  auto it = sources_.find(e->source_id);
  if (it == sources_.end()) {
    auto source = std::make_unique<Source>();
    source->id = e->source_id;
    it = sources_.emplace(e->source_id, std::move(source)).first;
  }
  Source& s = *it->second;
  const std::size_t bytes = loggregator::approximate_size(*e) + SourceRing::kEntryOverhead;

  const bool had_data = !s.ring.empty();
  const std::int64_t oldest_before = had_data ? s.ring.oldest_timestamp() : 0;
  s.ring.insert(e, bytes);
  if (!had_data || s.ring.oldest_timestamp() != oldest_before) {
    if (had_data) by_oldest_.erase({oldest_before, &s});
    by_oldest_.emplace(s.ring.oldest_timestamp(), &s);
  }
  bytes_ += bytes;
  envelopes_ += 1;
  counters_.ingress += 1;
  deliver_locked(e);

  if (s.ring.size() > options_.max_per_source) {
    evict_oldest_of(s);
    ++counters_.evicted_source_limit;
  }
  // `s` itself may be forgotten here, when its data is the oldest.
  while (bytes_ > options_.max_bytes && !by_oldest_.empty()) {
    Source& victim = *by_oldest_.begin()->second;
    evict_oldest_of(victim);
    ++counters_.evicted_memory;
    forget_if_empty(victim);
  }
}

void EnvelopeStore::evict_oldest_of(Source& s) {
  by_oldest_.erase({s.ring.oldest_timestamp(), &s});
  auto entry = s.ring.pop_oldest();
  bytes_ -= entry.bytes;
  envelopes_ -= 1;
  s.expired += 1;
  if (!s.ring.empty()) by_oldest_.emplace(s.ring.oldest_timestamp(), &s);
}

void EnvelopeStore::forget_if_empty(Source& s) {
  if (s.ring.empty()) sources_.erase(sources_.find(s.id));
}

void EnvelopeStore::deliver_locked(const EnvelopePtr& e) {
  auto [first, last] = subscribers_.equal_range(e->source_id);
  for (auto it = first; it != last; ++it) {
    const Subscriber& sub = it->second;
    if (e->timestamp < sub.start_time) continue;
    if (!sub.sink->offer(e)) ++counters_.subscriber_slow;
    ++counters_.egress;
  }
}

Result<std::vector<EnvelopePtr>> EnvelopeStore::read(std::string_view source_id, const ReadQuery& q,
                                                     std::int64_t now) const {
  if (auto valid = validate(q); !valid) return std::move(valid).error();
  const std::int64_t end = q.end_time.value_or(now);
  std::vector<EnvelopePtr> out;
  std::lock_guard lock(mu_);
  auto it = sources_.find(source_id);
  if (it == sources_.end()) return out;
  out.reserve(std::min<std::size_t>(static_cast<std::size_t>(q.limit), it->second->ring.size()));
  it->second->ring.collect(q.start_time, end, q.envelope_types, static_cast<std::size_t>(q.limit),
                           q.descending, out);
  counters_.egress += out.size();
  return out;
}

std::map<std::string, SourceMeta> EnvelopeStore::meta() const {
  std::map<std::string, SourceMeta> out;
  std::lock_guard lock(mu_);
  for (const auto& [id, s] : sources_) {
    out.emplace(id, SourceMeta{static_cast<std::int64_t>(s->ring.size()), s->expired,
                               s->ring.oldest_timestamp(), s->ring.newest_timestamp()});
  }
  return out;
}

Tail EnvelopeStore::subscribe(std::string source_id, std::int64_t start_time,
                              std::shared_ptr<TailSink> sink, std::size_t max_backlog) {
  assert(sink);
  constexpr auto kForever = std::numeric_limits<std::int64_t>::max();
  Tail tail;
  std::lock_guard lock(mu_);
  tail.id = next_subscription_++;
  if (auto it = sources_.find(source_id); it != sources_.end()) {
    // The newest max_backlog, oldest first.
    it->second->ring.collect(start_time, kForever, EnvelopeTypeSet{}, max_backlog, true,
                             tail.backlog);
    std::reverse(tail.backlog.begin(), tail.backlog.end());
    counters_.egress += tail.backlog.size();
  }
  auto sub = subscribers_.emplace(source_id, Subscriber{tail.id, start_time, std::move(sink)});
  subscription_index_.emplace(tail.id, sub);
  return tail;
}

void EnvelopeStore::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mu_);
  auto it = subscription_index_.find(id);
  if (it == subscription_index_.end()) return;
  subscribers_.erase(it->second);
  subscription_index_.erase(it);
}

StoreCounters EnvelopeStore::counters() const {
  std::lock_guard lock(mu_);
  StoreCounters c = counters_;
  c.envelopes = envelopes_;
  c.bytes = bytes_;
  c.sources = sources_.size();
  c.subscribers = subscribers_.size();
  return c;
}

}  // namespace cupola::logstore
