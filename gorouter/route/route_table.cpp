#include "gorouter/route/route_table.h"

#include <algorithm>

#include "common/json/json.h"

namespace cupola::router {

const detail::Entry* RouteTable::find_host(std::uint64_t hash, bool wildcard, std::string_view host,
                                           std::string_view path) const {
  const auto& shard = shards_[hash & (kShards - 1)];
  if (!shard || shard->buckets.empty()) return nullptr;
  const auto& bucket = shard->buckets[(hash >> 8) & (shard->buckets.size() - 1)];
  if (!bucket) return nullptr;
  auto tag = static_cast<std::uint32_t>(hash >> 32);
  const detail::Entry* best = nullptr;
  for (const auto& e : bucket->entries) {
    if (e.hash != tag) continue;
    const Pool& p = *e.pool;
    std::string_view h = p.host();
    if (wildcard) {
      if (h.size() != host.size() + 2 || !h.starts_with("*.") || !iequals(h.substr(2), host)) {
        continue;
      }
    } else if (!iequals(h, host)) {
      continue;
    }
    if (!path_matches(p.path(), path)) continue;
    if (!best || p.path().size() > best->pool->path().size()) best = &e;
  }
  return best;
}

const detail::Entry* RouteTable::find_entry(std::string_view host_header,
                                            std::string_view target) const {
  std::string_view host = host_without_port(host_header);
  if (host.empty()) return nullptr;
  std::string storage;
  std::string_view path;
  if (!normalize_request_path(target, storage, path)) return nullptr;

  if (const auto* e = find_host(host_hash(host), false, host, path)) return e;
  // Wildcards as gorouter's Uri.NextWildcard walks them: drop the first label each time.
  std::string_view rest = host;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    rest.remove_prefix(dot + 1);
    std::uint64_t h = HostHasher{}.feed("*.").feed(rest).finish();
    if (const auto* e = find_host(h, true, rest, path)) return e;
  }
  return nullptr;
}

const Pool* RouteTable::find(std::string_view host_header, std::string_view target) const {
  const auto* e = find_entry(host_header, target);
  return e ? e->pool.get() : nullptr;
}

std::shared_ptr<const Pool> RouteTable::lookup(std::string_view host_header,
                                               std::string_view target) const {
  const auto* e = find_entry(host_header, target);
  return e ? e->pool : nullptr;
}

const Pool* RouteTable::find_route(const RouteKey& key) const {
  std::uint64_t hash = key.hash();
  const auto& shard = shards_[hash & (kShards - 1)];
  if (!shard || shard->buckets.empty()) return nullptr;
  const auto& bucket = shard->buckets[(hash >> 8) & (shard->buckets.size() - 1)];
  if (!bucket) return nullptr;
  auto tag = static_cast<std::uint32_t>(hash >> 32);
  for (const auto& e : bucket->entries) {
    if (e.hash == tag && e.pool->route() == key.str()) return e.pool.get();
  }
  return nullptr;
}

std::string RouteTable::to_json() const {
  std::vector<const Pool*> pools;
  pools.reserve(routes_);
  for_each([&pools](const Pool& p) { pools.push_back(&p); });
  std::sort(pools.begin(), pools.end(),
            [](const Pool* a, const Pool* b) { return a->route() < b->route(); });

  json::Writer w;
  w.start_object();
  for (const Pool* p : pools) {
    w.key(p->route()).start_array();
    for (std::size_t i = 0; i < p->size(); ++i) {
      const Endpoint& e = *p->endpoint(i);
      w.start_object();
      w.field("address", e.address());
      w.field("availability_zone", e.availability_zone());
      w.field("protocol", to_string(e.protocol()));
      w.field("tls", e.tls());
      w.field("ttl", static_cast<long long>(e.stale_threshold().count()));
      if (!e.route_service_url().empty()) w.field("route_service_url", e.route_service_url());
      w.key("tags");
      if (e.has_tags()) {
        w.start_object();
        for (std::size_t t = 0; t < e.tag_count(); ++t) {
          auto [k, v] = e.tag(t);
          w.field(k, v);
        }
        w.end_object();
      } else {
        w.value(nullptr);
      }
      if (!e.isolation_segment().empty()) w.field("isolation_segment", e.isolation_segment());
      if (!e.private_instance_id().empty()) {
        w.field("private_instance_id", e.private_instance_id());
      }
      if (!e.server_cert_domain_san().empty()) {
        w.field("server_cert_domain_san", e.server_cert_domain_san());
      }
      if (auto lb = e.load_balancing()) w.field("load_balancing_algorithm", to_string(*lb));
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  return w.str();
}

}  // namespace cupola::router
