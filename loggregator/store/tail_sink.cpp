#include "loggregator/store/tail_sink.h"

#include <algorithm>

namespace cupola::logstore {

TailSink::TailSink(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

bool TailSink::offer(EnvelopePtr e) {
  bool was_empty = false;
  bool kept_all = true;
  {
    std::lock_guard lock(mu_);
    was_empty = queue_.empty();
    if (queue_.size() >= capacity_) {
      queue_.pop_front();
      ++dropped_;
      kept_all = false;
    }
    queue_.push_back(std::move(e));
  }
  if (was_empty && notify_) notify_();
  return kept_all;
}

std::vector<EnvelopePtr> TailSink::take(std::size_t max) {
  std::lock_guard lock(mu_);
  std::size_t n = std::min(max, queue_.size());
  std::vector<EnvelopePtr> out(std::make_move_iterator(queue_.begin()),
                               std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
  queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
  return out;
}

std::size_t TailSink::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::uint64_t TailSink::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

}  // namespace cupola::logstore
