#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>

namespace cupola::rep {

// The cell's host ports for instances, [first, last]. Hands them out round-robin, so a
// port just released is the last to be reused (a late request for the old instance does
// not reach a new one). Not thread-safe: owned by the rep's io_context.
class PortPool {
 public:
  PortPool(std::uint32_t first, std::uint32_t last);

  // The next free port that `usable` accepts (when given: e.g. nothing else listens on it).
  std::optional<std::uint32_t> acquire(const std::function<bool(std::uint32_t)>& usable = {});
  // Marks a port as taken (a container found after a restart); false when it is not ours
  // or already taken.
  bool claim(std::uint32_t port);
  void release(std::uint32_t port);
  std::size_t available() const;

 private:
  std::uint32_t first_, last_, next_;
  std::set<std::uint32_t> taken_;
};

}  // namespace cupola::rep
