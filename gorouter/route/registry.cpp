#include "gorouter/route/registry.h"

#include <algorithm>

#include "common/core/clock.h"

namespace cupola::router {
namespace {

// A shard doubles its buckets when it holds more than this many routes per bucket.
constexpr std::size_t kMaxBucketLoad = 4;

std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }

std::size_t bucket_of(std::uint64_t hash, std::size_t buckets) {
  return (hash >> 8) & (buckets - 1);
}

}  // namespace

std::string_view to_string(RouteChange::Kind kind) {
  switch (kind) {
    case RouteChange::Kind::RouteAdded:
      return "route-registered";
    case RouteChange::Kind::RouteRemoved:
      return "route-unregistered";
    case RouteChange::Kind::EndpointAdded:
      return "endpoint-registered";
    case RouteChange::Kind::EndpointUpdated:
      return "endpoint-updated";
    case RouteChange::Kind::EndpointRemoved:
      return "endpoint-unregistered";
    case RouteChange::Kind::EndpointPruned:
      return "pruned-route";
  }
  return "unknown";
}

Registry::Registry(RegistryOptions options)
    : options_(std::move(options)), published_(std::make_shared<const RouteTable>()) {}

bool Registry::serves(const RegistryMessage& m) const {
  if (options_.sharding_mode == ShardingMode::All) return true;
  if (options_.sharding_mode == ShardingMode::SharedAndSegments && m.isolation_segment.empty()) {
    return true;
  }
  const auto& segments = options_.isolation_segments;
  return std::find(segments.begin(), segments.end(), m.isolation_segment) != segments.end();
}

std::shared_ptr<Endpoint> Registry::make_endpoint(const RegistryMessage& m) const {
  EndpointSpec s;
  s.host = m.host;
  s.tls = m.tls_port != 0;
  s.port = s.tls ? m.tls_port : m.port;
  s.app_id = m.app;
  s.private_instance_id = m.private_instance_id;
  s.private_instance_index = m.private_instance_index;
  s.route_service_url = m.route_service_url;
  s.server_cert_domain_san = m.server_cert_domain_san;
  s.isolation_segment = m.isolation_segment;
  s.availability_zone = m.availability_zone;
  s.protocol = (m.protocol == "http2" && options_.enable_http2) ? Protocol::Http2 : Protocol::Http1;
  s.stale_threshold = std::chrono::seconds(m.stale_threshold_in_seconds);
  if (s.stale_threshold <= std::chrono::seconds::zero() ||
      s.stale_threshold > options_.droplet_stale_threshold) {
    s.stale_threshold = options_.droplet_stale_threshold;
  }
  s.updated_at_ns = m.endpoint_updated_at_ns;
  s.load_balancing = parse_load_balancing(m.load_balancing);
  s.tags = m.tags ? &*m.tags : nullptr;
  return std::make_shared<Endpoint>(s);
}

ApplyResult Registry::apply(MessageKind kind, const RegistryMessage& m, TimePoint now) {
  ApplyResult out;
  if (!serves(m)) {
    out.ignored = m.uris.size();
    return out;
  }
  std::shared_ptr<Endpoint> endpoint;
  std::string address;
  if (kind == MessageKind::Register) {
    endpoint = make_endpoint(m);
  } else {
    address = m.host + ':' + std::to_string(m.tls_port != 0 ? m.tls_port : m.port);
  }
  for (const auto& uri : m.uris) {
    auto key = RouteKey::parse(uri);
    if (!key) {
      ++out.ignored;
      continue;
    }
    if (kind == MessageKind::Register) {
      register_route(*key, endpoint, unix_nanos(now), out);
    } else {
      unregister_route(*key, address, m.private_instance_id, out);
    }
  }
  if (kind == MessageKind::Register) last_update_ = now;
  return out;
}

Registry::Location Registry::locate(const RouteKey& key) const {
  Location loc;
  loc.shard = key.hash() & (RouteTable::kShards - 1);
  const auto& shard = work_.shards_[loc.shard];
  if (!shard) return loc;
  loc.bucket = bucket_of(key.hash(), shard->buckets.size());
  const auto& bucket = shard->buckets[loc.bucket];
  if (!bucket) return loc;
  auto tag = tag_of(key.hash());
  for (std::size_t i = 0; i < bucket->entries.size(); ++i) {
    const auto& e = bucket->entries[i];
    if (e.hash == tag && e.pool->route() == key.str()) {
      loc.entry = i;
      loc.found = &e;
      break;
    }
  }
  return loc;
}

void Registry::register_route(const RouteKey& key, const std::shared_ptr<Endpoint>& endpoint,
                              std::int64_t now_ns, ApplyResult& out) {
  Location loc = locate(key);
  auto lb = endpoint->load_balancing();
  if (loc.found) {
    const Pool& seen = *loc.found->pool;
    std::size_t i = seen.index_of(endpoint->address());
    bool same = i < seen.size() && seen.members_[i].endpoint->same_description(*endpoint);
    // The common case, an emitter's periodic re-registration, touches no shared structure.
    if (same && (!lb || *lb == seen.load_balancing())) {
      seen.members_[i].last_seen_ns.store(now_ns, std::memory_order_relaxed);
      ++out.refreshed;
      return;
    }
    detail::Shard& shard = own_shard(loc.shard);
    detail::Bucket& bucket = own_bucket(shard, loc.bucket);
    Pool& pool = own_pool(bucket, loc.entry);
    if (i < pool.size()) {
      if (same) {
        pool.members_[i].last_seen_ns.store(now_ns, std::memory_order_relaxed);
        ++out.refreshed;
      } else {
        pool.members_[i] = Pool::Member(endpoint, now_ns);
        out.changes.push_back(
            {RouteChange::Kind::EndpointUpdated, key.str(), std::string(endpoint->address())});
      }
    } else {
      pool.members_.emplace_back(endpoint, now_ns);
      ++work_.members_;
      out.changes.push_back(
          {RouteChange::Kind::EndpointAdded, key.str(), std::string(endpoint->address())});
    }
    if (!same) pool.route_service_from_ = static_cast<std::uint32_t>(i);
    if (lb) pool.load_balancing_ = *lb;
    pending_ = true;
    return;
  }

  detail::Shard& shard = own_shard(loc.shard);
  auto pool = std::make_shared<Pool>(key, lb.value_or(options_.load_balancing));
  pool->epoch_ = epoch_;
  pool->members_.emplace_back(endpoint, now_ns);
  detail::Bucket& bucket = own_bucket(shard, bucket_of(key.hash(), shard.buckets.size()));
  bucket.entries.push_back({tag_of(key.hash()), std::move(pool)});
  ++shard.routes;
  ++work_.routes_;
  ++work_.members_;
  if (shard.routes > kMaxBucketLoad * shard.buckets.size()) grow(shard);
  out.changes.push_back({RouteChange::Kind::RouteAdded, key.str(), {}});
  out.changes.push_back(
      {RouteChange::Kind::EndpointAdded, key.str(), std::string(endpoint->address())});
  pending_ = true;
}

void Registry::unregister_route(const RouteKey& key, std::string_view address,
                                std::string_view instance_id, ApplyResult& out) {
  Location loc = locate(key);
  if (!loc.found) {
    ++out.ignored;
    return;
  }
  const Pool& seen = *loc.found->pool;
  std::size_t i = seen.index_of(address);
  if (i == seen.size()) {
    ++out.ignored;
    return;
  }
  std::string_view current = seen.members_[i].endpoint->private_instance_id();
  if (!instance_id.empty() && !current.empty() && current != instance_id) {
    ++out.ignored;
    return;
  }
  detail::Shard& shard = own_shard(loc.shard);
  detail::Bucket& bucket = own_bucket(shard, loc.bucket);
  Pool& pool = own_pool(bucket, loc.entry);
  pool.members_.erase(pool.members_.begin() + static_cast<std::ptrdiff_t>(i));
  if (pool.route_service_from_ > i) {
    --pool.route_service_from_;
  } else if (pool.route_service_from_ == i) {
    pool.route_service_from_ = pool.empty() ? 0 : static_cast<std::uint32_t>(pool.size() - 1);
  }
  --work_.members_;
  out.changes.push_back({RouteChange::Kind::EndpointRemoved, key.str(), std::string(address)});
  if (pool.empty()) {
    remove_entry(shard, loc.bucket, loc.entry);
    out.changes.push_back({RouteChange::Kind::RouteRemoved, key.str(), {}});
  }
  pending_ = true;
}

std::vector<RouteChange> Registry::prune(TimePoint now, bool nats_ok) {
  std::vector<RouteChange> out;
  if (!nats_ok) {
    suspended_ = true;
    return out;
  }
  std::int64_t now_ns = unix_nanos(now);
  if (suspended_) {
    suspended_ = false;
    work_.for_each([now_ns](const Pool& p) {
      for (const auto& m : p.members_) m.last_seen_ns.store(now_ns, std::memory_order_relaxed);
    });
    return out;
  }

  auto stale = [now_ns](const Pool::Member& m) {
    const Endpoint& e = *m.endpoint;
    std::int64_t threshold_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(e.stale_threshold()).count();
    return !e.tls() && m.seen() < now_ns - threshold_ns;
  };
  for (std::size_t s = 0; s < RouteTable::kShards; ++s) {
    if (!work_.shards_[s]) continue;
    for (std::size_t b = 0; b < work_.shards_[s]->buckets.size(); ++b) {
      std::size_t e = 0;
      while (true) {
        const auto& bucket = work_.shards_[s]->buckets[b];
        if (!bucket || e >= bucket->entries.size()) break;
        const Pool& seen = *bucket->entries[e].pool;
        if (std::none_of(seen.members_.begin(), seen.members_.end(), stale)) {
          ++e;
          continue;
        }
        detail::Shard& shard = own_shard(s);
        detail::Bucket& owned = own_bucket(shard, b);
        Pool& pool = own_pool(owned, e);
        for (std::size_t i = 0; i < pool.members_.size();) {
          if (!stale(pool.members_[i])) {
            ++i;
            continue;
          }
          out.push_back({RouteChange::Kind::EndpointPruned, pool.route(),
                         std::string(pool.members_[i].endpoint->address())});
          pool.members_.erase(pool.members_.begin() + static_cast<std::ptrdiff_t>(i));
          --work_.members_;
        }
        if (pool.route_service_from_ >= pool.size()) pool.route_service_from_ = 0;
        pending_ = true;
        if (pool.empty()) {
          out.push_back({RouteChange::Kind::RouteRemoved, pool.route(), {}});
          remove_entry(shard, b, e);
        } else {
          ++e;
        }
      }
    }
  }
  return out;
}

std::shared_ptr<const RouteTable> Registry::publish() {
  if (!pending_) return published_;
  work_.generation_ = published_->generation_ + 1;
  published_ = std::make_shared<const RouteTable>(work_);
  // Everything reachable from the snapshot is frozen from here on.
  ++epoch_;
  pending_ = false;
  return published_;
}

detail::Shard& Registry::own_shard(std::size_t i) {
  auto& shard = work_.shards_[i];
  if (!shard) {
    shard = std::make_shared<detail::Shard>();
    shard->epoch = epoch_;
    shard->buckets.resize(1);
  } else if (shard->epoch != epoch_) {
    auto copy = std::make_shared<detail::Shard>(*shard);
    copy->epoch = epoch_;
    shard = std::move(copy);
  }
  return *shard;
}

detail::Bucket& Registry::own_bucket(detail::Shard& shard, std::size_t i) {
  auto& bucket = shard.buckets[i];
  if (!bucket) {
    bucket = std::make_shared<detail::Bucket>();
    bucket->epoch = epoch_;
  } else if (bucket->epoch != epoch_) {
    auto copy = std::make_shared<detail::Bucket>(*bucket);
    copy->epoch = epoch_;
    bucket = std::move(copy);
  }
  return *bucket;
}

Pool& Registry::own_pool(detail::Bucket& bucket, std::size_t i) {
  auto& pool = bucket.entries[i].pool;
  if (pool->epoch_ != epoch_) {
    auto copy = std::make_shared<Pool>(*pool);
    copy->epoch_ = epoch_;
    pool = std::move(copy);
  }
  return *pool;
}

void Registry::remove_entry(detail::Shard& shard, std::size_t b, std::size_t e) {
  detail::Bucket& bucket = own_bucket(shard, b);
  bucket.entries.erase(bucket.entries.begin() + static_cast<std::ptrdiff_t>(e));
  if (bucket.entries.empty()) shard.buckets[b].reset();
  --shard.routes;
  --work_.routes_;
}

void Registry::grow(detail::Shard& shard) {
  std::size_t n = shard.buckets.size() * 2;
  std::vector<std::shared_ptr<detail::Bucket>> next(n);
  for (const auto& old : shard.buckets) {
    if (!old) continue;
    for (const auto& e : old->entries) {
      auto& bucket = next[bucket_of(host_hash(e.pool->host()), n)];
      if (!bucket) {
        bucket = std::make_shared<detail::Bucket>();
        bucket->epoch = epoch_;
      }
      bucket->entries.push_back(e);
    }
  }
  shard.buckets = std::move(next);
}

}  // namespace cupola::router
