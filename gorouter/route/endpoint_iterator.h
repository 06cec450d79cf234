#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/core/time.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/route/pool.h"

namespace cupola::router {

struct SelectOptions {
  // Tried first when present in the pool: the __VCAP_ID__ sticky-session instance.
  std::string sticky_instance_id;
  // Only the sticky instance will do (gorouter's mustBeSticky).
  bool must_be_sticky = false;
  // Endpoints with this many requests in flight are passed over (gorouter's
  // backends.max_conns); 0 is no limit.
  std::int64_t max_conns_per_backend = 0;
};

// Picks the endpoints of one request from a pool: the first to try, then one per retry, by
// the pool's load-balancing algorithm. Round-robin advances the pool's shared cursor once per
// request; least-connection takes the fewest requests in flight, ties broken by that cursor.
// One iterator serves one request on one thread; it must not outlive the pool (hold the
// snapshot, or the pool's shared_ptr, meanwhile).
class EndpointIterator {
 public:
  explicit EndpointIterator(const Pool& pool, SelectOptions options = {});

  // The next endpoint to try, never one returned before, or null when none is left or all
  // left are at the connection limit. Endpoints marked failed are skipped while the mark
  // lasts; when every one left is marked, the pool's marks are cleared and all are eligible
  // again, as in gorouter. With must_be_sticky: the sticky endpoint, every time, or null when
  // it is gone or at the connection limit.
  std::shared_ptr<Endpoint> next(TimePoint now);

 private:
  bool eligible(const Endpoint& e) const;
  std::shared_ptr<Endpoint> pick(TimePoint now, bool ignore_failures, bool& saw_failed);

  const Pool* pool_;
  SelectOptions options_;
  // The endpoints handed out: the first few inline (a request makes at most a few attempts).
  std::array<const Endpoint*, 4> tried_inline_{};
  std::size_t tried_count_ = 0;
  std::vector<const Endpoint*> tried_more_;
  void remember(const Endpoint* e);
  bool was_tried(const Endpoint* e) const;
  std::size_t next_index_ = 0;
  bool started_ = false;
};

}  // namespace cupola::router
