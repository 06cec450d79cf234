#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/route/endpoint.h"
#include "gorouter/route/route_key.h"

namespace cupola::router {

class Registry;
class EndpointIterator;

// The endpoints of one route (gorouter's EndpointPool), in registration order, each held by
// its address. A Pool reached through a published RouteTable never changes but for its
// round-robin cursor and the endpoints' statistics, all atomics: any thread may read it and
// pick from it (EndpointIterator). The Registry builds a changed copy instead of editing one
// that readers can see.
class Pool {
 public:
  Pool(const RouteKey& key, LoadBalancing load_balancing);
  Pool(const Pool& other);
  Pool& operator=(const Pool&) = delete;

  // The route key: "host" or "host/path", lower-case.
  const std::string& route() const { return key_; }
  std::string_view host() const { return std::string_view(key_).substr(0, host_len_); }
  // "" or "/a/b".
  std::string_view path() const { return std::string_view(key_).substr(host_len_); }
  LoadBalancing load_balancing() const { return load_balancing_; }

  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  const std::shared_ptr<Endpoint>& endpoint(std::size_t i) const { return members_[i].endpoint; }

  // The route service of the endpoint registered or changed last; "" for none.
  std::string_view route_service_url() const;

  // The endpoint at "host:port", or null.
  std::shared_ptr<Endpoint> find_address(std::string_view address) const;
  // The endpoint with this private_instance_id (the __VCAP_ID__ sticky-session cookie), or null.
  std::shared_ptr<Endpoint> find_instance(std::string_view private_instance_id) const;
  // The endpoint of app `app_id` with private_instance_index `index` (X-Cf-App-Instance), or
  // null.
  std::shared_ptr<Endpoint> find_app_instance(std::string_view app_id,
                                              std::string_view index) const;

 private:
  friend class Registry;
  friend class EndpointIterator;

  struct Member {
    Member(std::shared_ptr<Endpoint> e, std::int64_t seen_ns)
        : endpoint(std::move(e)), last_seen_ns(seen_ns) {}
    Member(const Member& o) : endpoint(o.endpoint), last_seen_ns(o.seen()) {}
    Member& operator=(const Member& o) {
      endpoint = o.endpoint;
      last_seen_ns.store(o.seen(), std::memory_order_relaxed);
      return *this;
    }
    std::int64_t seen() const { return last_seen_ns.load(std::memory_order_relaxed); }

    std::shared_ptr<Endpoint> endpoint;
    // When this route last heard of the endpoint. Only the registry reads and writes it; an
    // atomic because the registry refreshes it in pools that readers hold.
    mutable std::atomic<std::int64_t> last_seen_ns;
  };

  std::size_t index_of(std::string_view address) const;

  std::string key_;
  std::uint32_t host_len_ = 0;
  LoadBalancing load_balancing_ = LoadBalancing::RoundRobin;
  std::uint32_t route_service_from_ = 0;
  // The registry's batch in which this copy was made; it edits only copies of its own batch.
  std::uint64_t epoch_ = 0;
  std::vector<Member> members_;
  mutable std::atomic<std::uint32_t> cursor_;
};

}  // namespace cupola::router
