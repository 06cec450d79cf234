#include "loggregator/api/batcher.h"

#include <algorithm>
#include <cassert>

namespace cupola::loggregator {

std::vector<EncodedBatch> encode_pending(std::vector<PendingBatch> pending, std::size_t max_bytes,
                                         const EncodeOptions& options, std::size_t& too_large) {
  std::vector<EncodedBatch> out;
  for (auto& batch : pending) {
    for (auto& doc : encode_batches(batch.envelopes, max_bytes, options, too_large)) {
      EncodedBatch b;
      b.subject = std::string(kLogsSubjectPrefix) + batch.source_id;
      b.source_id = batch.source_id;
      b.payload = std::move(doc.json);
      b.envelopes = doc.envelopes;
      out.push_back(std::move(b));
    }
  }
  return out;
}

LogBatcher::LogBatcher(BatcherOptions options) : options_(std::move(options)) {
  options_.max_buffered_envelopes = std::max<std::size_t>(options_.max_buffered_envelopes, 1);
  options_.max_batch_envelopes = std::max<std::size_t>(options_.max_batch_envelopes, 1);
}

bool LogBatcher::add(Envelope e, TimePoint now) {
  auto it = sources_.find(e.source_id);
  if (it == sources_.end()) {
    it = sources_.emplace(e.source_id, Source{}).first;
    it->second.id = e.source_id;
  }
  Source& s = it->second;
  Item item{next_seq_++, now, approximate_size(e), estimate_encoded_size(e), std::move(e)};
  if (s.items.empty()) oldest_.emplace(item.seq, &s);
  count_ += 1;
  bytes_ += item.bytes;
  s.encoded_bytes += item.encoded_bytes;
  s.items.push_back(std::move(item));

  auto over = [&] {
    return count_ > options_.max_buffered_envelopes || bytes_ > options_.max_buffered_bytes;
  };
  if (!over()) return batch_full(s);
  std::string id = s.id;  // `s` may go away below when its envelopes are all dropped
  while (over()) drop_oldest();
  auto after = sources_.find(id);
  return after != sources_.end() && batch_full(after->second);
}

bool LogBatcher::batch_full(const Source& s) const {
  return s.items.size() >= options_.max_batch_envelopes ||
         s.encoded_bytes >= options_.max_batch_bytes;
}

void LogBatcher::drop_oldest() {
  assert(!oldest_.empty());
  Source& s = *oldest_.begin()->second;
  oldest_.erase(oldest_.begin());
  const Item& front = s.items.front();
  count_ -= 1;
  bytes_ -= front.bytes;
  s.encoded_bytes -= front.encoded_bytes;
  s.items.pop_front();
  ++dropped_;
  if (s.items.empty()) {
    sources_.erase(sources_.find(s.id));
  } else {
    oldest_.emplace(s.items.front().seq, &s);
  }
}

void LogBatcher::take_source(Source& s, std::vector<PendingBatch>& out) {
  oldest_.erase(s.items.front().seq);
  while (!s.items.empty()) {
    PendingBatch batch;
    batch.source_id = s.id;
    std::size_t encoded = 0;
    while (!s.items.empty() && batch.envelopes.size() < options_.max_batch_envelopes &&
           (batch.envelopes.empty() ||
            encoded + s.items.front().encoded_bytes <= options_.max_batch_bytes)) {
      Item& item = s.items.front();
      encoded += item.encoded_bytes;
      count_ -= 1;
      bytes_ -= item.bytes;
      batch.envelopes.push_back(std::move(item.envelope));
      s.items.pop_front();
    }
    out.push_back(std::move(batch));
  }
  s.encoded_bytes = 0;
}

std::vector<PendingBatch> LogBatcher::take(TimePoint now, bool all) {
  std::vector<PendingBatch> out;
  for (auto it = sources_.begin(); it != sources_.end();) {
    Source& s = it->second;
    bool due = all || batch_full(s) || s.items.front().arrived + options_.flush_interval <= now;
    if (!due) {
      ++it;
      continue;
    }
    take_source(s, out);
    it = sources_.erase(it);
  }
  return out;
}

std::vector<EncodedBatch> LogBatcher::flush(TimePoint now, bool all) {
  std::size_t too_large = 0;
  auto out = encode_pending(take(now, all), options_.max_batch_bytes, options_.encoding, too_large);
  dropped_too_large_ += too_large;
  return out;
}

}  // namespace cupola::loggregator
