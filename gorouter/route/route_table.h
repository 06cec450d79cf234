#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/route/pool.h"
#include "gorouter/route/route_key.h"

namespace cupola::router {

namespace detail {

struct Entry {
  std::uint32_t hash = 0;  // the host hash's high half
  std::shared_ptr<Pool> pool;
};
struct Bucket {
  std::uint64_t epoch = 0;
  std::vector<Entry> entries;
};
// A small hash table of its own: buckets by the host hash's bits 8 and up.
struct Shard {
  std::uint64_t epoch = 0;
  std::size_t routes = 0;
  std::vector<std::shared_ptr<Bucket>> buckets;
};

}  // namespace detail

// The routes at one moment. A published table (Registry::publish()) is immutable and may be
// read by any number of threads without locks; it shares every part that did not change with
// the tables before and after it: 256 shards by host hash, each a hash table of buckets, each
// bucket a short list of routes. A change copies the pool, the bucket and the shard it
// touches, never the whole table.
//
// Pools and endpoints found here live as long as the table, or longer when their shared_ptr
// is kept (lookup(), Pool::find_instance(), EndpointIterator::next()).
class RouteTable {
 public:
  static constexpr std::size_t kShards = 256;

  // The route for a request, as gorouter looks it up: the Host header without its port,
  // lower-cased; the exact host with the longest registered path that is a prefix of the
  // request's path on a segment boundary; failing that, wildcard hosts from the most to the
  // least specific ("a.b.example.com" tries "*.b.example.com", then "*.example.com", then
  // "*.com"), each with the same path rule. `target` is the origin-form request target
  // ("/path?query"); the query is ignored and percent-escapes compare as written (see
  // normalize_request_path). Null when nothing matches, or the path is malformed.
  const Pool* find(std::string_view host_header, std::string_view target) const;
  std::shared_ptr<const Pool> lookup(std::string_view host_header, std::string_view target) const;

  // The route registered under exactly this key, or null.
  const Pool* find_route(const RouteKey& key) const;

  std::size_t route_count() const { return routes_; }
  // Endpoints summed over routes (an endpoint on two routes counts twice).
  std::size_t endpoint_count() const { return members_; }
  // 0 for an empty table, then one more per publish.
  std::uint64_t generation() const { return generation_; }

  // Calls f(const Pool&) for every route, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& shard : shards_) {
      if (!shard) continue;
      for (const auto& bucket : shard->buckets) {
        if (!bucket) continue;
        for (const auto& e : bucket->entries) f(static_cast<const Pool&>(*e.pool));
      }
    }
  }

  // gorouter's /routes document: {"<route>": [{"address": "10.0.0.1:61001",
  // "availability_zone": "", "protocol": "http1", "tls": false, "ttl": 120, "tags": {...}, ...},
  // ...], ...}, routes sorted.
  std::string to_json() const;

 private:
  friend class Registry;

  const detail::Entry* find_entry(std::string_view host, std::string_view path) const;
  const detail::Entry* find_host(std::uint64_t hash, bool wildcard, std::string_view host,
                                 std::string_view path) const;

  std::array<std::shared_ptr<detail::Shard>, kShards> shards_{};
  std::size_t routes_ = 0;
  std::size_t members_ = 0;
  std::uint64_t generation_ = 0;
};

}  // namespace cupola::router
