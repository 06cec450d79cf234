#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/time.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/route/registry_message.h"
#include "gorouter/route/route_table.h"

namespace cupola::router {

// gorouter's routing_table_sharding_mode: which isolation segments this router serves.
enum class ShardingMode : std::uint8_t {
  All,                // every route
  Segments,           // only the listed isolation segments
  SharedAndSegments,  // the listed ones and the shared (unnamed) segment
};

struct RegistryOptions {
  // Routes not re-registered for this long are pruned; also the cap (and the default) of a
  // registration's stale_threshold_in_seconds.
  std::chrono::seconds droplet_stale_threshold{120};
  // Pools start with this algorithm; a registration's options.loadbalancing overrides it.
  LoadBalancing load_balancing = LoadBalancing::RoundRobin;
  ShardingMode sharding_mode = ShardingMode::All;
  std::vector<std::string> isolation_segments;
  // When false, "http2" registrations are served as "http1".
  bool enable_http2 = true;

  // How long a backend that failed is passed over (Endpoint::mark_failed), as gorouter: a
  // quarter of the stale threshold.
  std::chrono::seconds retry_after_failure() const { return droplet_stale_threshold / 4; }
};

enum class MessageKind : std::uint8_t { Register, Unregister };

// One effect of a message or a prune, for logging (the names are gorouter's log events).
struct RouteChange {
  enum class Kind : std::uint8_t {
    RouteAdded,       // "route-registered"
    RouteRemoved,     // "route-unregistered"
    EndpointAdded,    // "endpoint-registered"
    EndpointUpdated,  // "endpoint-updated": same address, new description
    EndpointRemoved,  // "endpoint-unregistered"
    EndpointPruned,   // "pruned-route"
  };
  Kind kind;
  std::string route;
  std::string address;  // "" for route events
};
std::string_view to_string(RouteChange::Kind kind);

struct ApplyResult {
  std::vector<RouteChange> changes;
  // Routes re-registered unchanged: only their last-heard time moved.
  std::size_t refreshed = 0;
  // Routes the message named but left alone: outside this router's isolation segments, or an
  // unregister for an endpoint that is not there (or belongs to another instance).
  std::size_t ignored = 0;
};

// The route table's owner (gorouter's RouteRegistry): applies router.register and
// router.unregister, prunes what went stale, and publishes immutable snapshots for request
// threads. Pure: no I/O, no clock, no threads; time comes in as arguments. Not thread-safe:
// one owner calls everything here; only the published RouteTables are shared.
//
// Changes collect in a working table that shares every untouched part with the last
// snapshot; publish() turns it into the next snapshot in O(256). The caller publishes when
// pending() at its own pace (every 10-20 ms, say), so a burst of registrations costs one
// snapshot per interval rather than one per message.
class Registry {
 public:
  explicit Registry(RegistryOptions options = {});

  // Applies a router.register or router.unregister message, as gorouter does:
  //  - register, per uri: adds the route and the endpoint (host:port, the TLS port when
  //    tls_port is set); an endpoint already there with the same description only has its
  //    last-heard time refreshed; one with a different description (another
  //    private_instance_id on a reused port, a new route service...) is replaced;
  //  - unregister, per uri: removes the endpoint at host:port, unless the message names a
  //    private_instance_id and the endpoint there carries another one (a late unregister for
  //    an instance whose port was reused); a route left empty is removed.
  // Messages of isolation segments this router does not serve are ignored; malformed uris
  // too (decode_registry_message refuses them first).
  ApplyResult apply(MessageKind kind, const RegistryMessage& message, TimePoint now);

  // Removes endpoints not heard of for longer than their stale threshold, except TLS
  // endpoints (gorouter leaves those to failed requests and unregistration). While
  // `nats_ok` is false nothing is pruned (gorouter's suspended pruning); on the first call
  // after that, every endpoint counts as heard of `now`, so emitters have a full threshold to
  // re-register.
  std::vector<RouteChange> prune(TimePoint now, bool nats_ok);

  // True when the working table differs from the last published snapshot.
  bool pending() const { return pending_; }
  // Publishes the working table as the next snapshot (or returns the last one when nothing
  // is pending). Store the result in the TableSlot that request threads read.
  std::shared_ptr<const RouteTable> publish();
  const std::shared_ptr<const RouteTable>& published() const { return published_; }

  // The working table, changes not yet published included; owner only.
  const RouteTable& table() const { return work_; }
  // gorouter's /routes document for the working table (owner only; other threads render a
  // published snapshot's to_json()).
  std::string routes_json() const { return work_.to_json(); }
  // When a route last changed or was re-registered (gorouter's time of last update).
  std::optional<TimePoint> last_update() const { return last_update_; }
  bool pruning_suspended() const { return suspended_; }
  const RegistryOptions& options() const { return options_; }

 private:
  struct Location {
    std::size_t shard = 0;
    std::size_t bucket = 0;
    std::size_t entry = 0;
    const detail::Entry* found = nullptr;
  };

  bool serves(const RegistryMessage& m) const;
  std::shared_ptr<Endpoint> make_endpoint(const RegistryMessage& m) const;
  Location locate(const RouteKey& key) const;
  void register_route(const RouteKey& key, const std::shared_ptr<Endpoint>& endpoint,
                      std::int64_t now_ns, ApplyResult& out);
  void unregister_route(const RouteKey& key, std::string_view address, std::string_view instance_id,
                        ApplyResult& out);

  // Copy-on-write: each returns a part the current batch may edit in place, copying the
  // published one (and re-linking it from its parent) the first time in a batch.
  detail::Shard& own_shard(std::size_t shard);
  detail::Bucket& own_bucket(detail::Shard& shard, std::size_t bucket);
  Pool& own_pool(detail::Bucket& bucket, std::size_t entry);
  void remove_entry(detail::Shard& shard, std::size_t bucket, std::size_t entry);
  void grow(detail::Shard& shard);

  RegistryOptions options_;
  RouteTable work_;
  std::shared_ptr<const RouteTable> published_;
  // Parts stamped with this batch number are not yet published and may change in place.
  std::uint64_t epoch_ = 1;
  bool pending_ = false;
  bool suspended_ = false;
  std::optional<TimePoint> last_update_;
};

}  // namespace cupola::router
