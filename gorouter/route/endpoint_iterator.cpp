#include "gorouter/route/endpoint_iterator.h"

#include <algorithm>

namespace cupola::router {

EndpointIterator::EndpointIterator(const Pool& pool, SelectOptions options)
    : pool_(&pool), options_(std::move(options)) {}

bool EndpointIterator::eligible(const Endpoint& e) const {
  if (options_.max_conns_per_backend > 0 && e.in_flight() >= options_.max_conns_per_backend) {
    return false;
  }
  return !was_tried(&e);
}

void EndpointIterator::remember(const Endpoint* e) {
  if (tried_count_ < tried_inline_.size()) {
    tried_inline_[tried_count_++] = e;
  } else {
    tried_more_.push_back(e);
  }
}

bool EndpointIterator::was_tried(const Endpoint* e) const {
  auto inline_end = tried_inline_.begin() + static_cast<std::ptrdiff_t>(tried_count_);
  return std::find(tried_inline_.begin(), inline_end, e) != inline_end ||
         std::find(tried_more_.begin(), tried_more_.end(), e) != tried_more_.end();
}

std::shared_ptr<Endpoint> EndpointIterator::next(TimePoint now) {
  if (!options_.sticky_instance_id.empty()) {
    auto e = pool_->find_instance(options_.sticky_instance_id);
    bool overloaded =
        e && options_.max_conns_per_backend > 0 && e->in_flight() >= options_.max_conns_per_backend;
    if (options_.must_be_sticky) return overloaded ? nullptr : e;
    options_.sticky_instance_id.clear();
    if (e && !overloaded) {
      remember(e.get());
      return e;
    }
  }

  std::size_t n = pool_->members_.size();
  if (n == 0) return nullptr;
  if (!started_) {
    next_index_ = pool_->cursor_.fetch_add(1, std::memory_order_relaxed) % n;
    started_ = true;
  }
  bool saw_failed = false;
  auto e = pick(now, false, saw_failed);
  if (!e && saw_failed) {
    for (const auto& m : pool_->members_) m.endpoint->clear_failure();
    e = pick(now, true, saw_failed);
  }
  if (e) remember(e.get());
  return e;
}

std::shared_ptr<Endpoint> EndpointIterator::pick(TimePoint now, bool ignore_failures,
                                                 bool& saw_failed) {
  const auto& members = pool_->members_;
  std::size_t n = members.size();
  std::size_t chosen = n;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t i = (next_index_ + k) % n;
    const Endpoint& e = *members[i].endpoint;
    if (!eligible(e)) continue;
    if (!ignore_failures && e.failed(now)) {
      saw_failed = true;
      continue;
    }
    if (pool_->load_balancing_ == LoadBalancing::RoundRobin) {
      chosen = i;
      break;
    }
    if (chosen == n || e.in_flight() < members[chosen].endpoint->in_flight()) chosen = i;
  }
  if (chosen == n) return nullptr;
  next_index_ = (chosen + 1) % n;
  return members[chosen].endpoint;
}

}  // namespace cupola::router
