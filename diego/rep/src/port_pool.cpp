#include "diego/rep/src/port_pool.h"

namespace cupola::rep {

PortPool::PortPool(std::uint32_t first, std::uint32_t last)
    : first_(first), last_(last), next_(first) {}

std::optional<std::uint32_t> PortPool::acquire(const std::function<bool(std::uint32_t)>& usable) {
  std::uint32_t size = last_ - first_ + 1;
  for (std::uint32_t i = 0; i < size; ++i) {
    std::uint32_t port = next_;
    next_ = next_ == last_ ? first_ : next_ + 1;
    if (taken_.contains(port) || (usable && !usable(port))) continue;
    taken_.insert(port);
    return port;
  }
  return std::nullopt;
}

bool PortPool::claim(std::uint32_t port) {
  if (port < first_ || port > last_) return false;
  return taken_.insert(port).second;
}

void PortPool::release(std::uint32_t port) { taken_.erase(port); }

std::size_t PortPool::available() const { return (last_ - first_ + 1) - taken_.size(); }

}  // namespace cupola::rep
