#include "gorouter/route/endpoint.h"

#include <cassert>
#include <cstring>
#include <vector>

#include "common/core/clock.h"

namespace cupola::router {
namespace {

// Tag names Cloud Foundry puts on every app instance's registration; stored as an index.
constexpr std::array<std::string_view, 12> kKnownTagKeys = {
    "app_id",          "app_name",          "component",  "instance_id",
    "organization_id", "organization_name", "process_id", "process_instance_id",
    "process_type",    "source_id",         "space_id",   "space_name",
};
constexpr std::uint16_t kKnownKeyBit = 0x8000;

// A tag as stored: the key's reference (or a known key's index with kKnownKeyBit set in
// size), then the value's.
struct TagRefs {
  std::uint16_t key_offset, key_size, value_offset, value_size;
};

}  // namespace

std::string_view to_string(LoadBalancing lb) {
  return lb == LoadBalancing::LeastConnection ? "least-connection" : "round-robin";
}

std::optional<LoadBalancing> parse_load_balancing(std::string_view s) {
  if (s == "round-robin") return LoadBalancing::RoundRobin;
  if (s == "least-connection") return LoadBalancing::LeastConnection;
  return std::nullopt;
}

std::string_view to_string(Protocol p) { return p == Protocol::Http2 ? "http2" : "http1"; }

Endpoint::Endpoint(const EndpointSpec& s)
    : port_(s.port),
      tls_(s.tls),
      has_tags_(s.tags != nullptr),
      protocol_(s.protocol),
      load_balancing_(s.load_balancing ? static_cast<std::uint8_t>(*s.load_balancing) + 1 : 0),
      stale_threshold_(static_cast<std::int32_t>(s.stale_threshold.count())),
      updated_at_ns_(s.updated_at_ns) {
  std::string text;
  std::vector<Ref> stored;
  stored.reserve(24);
  auto add = [&](std::string_view v) -> Ref {
    if (v.empty()) return {};
    for (Ref r : stored) {
      if (r.size == v.size() && std::memcmp(text.data() + r.offset, v.data(), v.size()) == 0) {
        return r;
      }
    }
    assert(text.size() + v.size() <= 0xffff && "endpoint text exceeds the message limits");
    Ref r{static_cast<std::uint16_t>(text.size()), static_cast<std::uint16_t>(v.size())};
    text.append(v);
    stored.push_back(r);
    return r;
  };

  std::string address(s.host);
  address += ':';
  address += std::to_string(s.port);
  host_len_ = static_cast<std::uint16_t>(s.host.size());
  refs_[kAddress] = add(address);
  refs_[kAppId] = add(s.app_id);
  refs_[kInstanceId] = add(s.private_instance_id);
  refs_[kInstanceIndex] = add(s.private_instance_index);
  refs_[kRouteServiceUrl] = add(s.route_service_url);
  refs_[kServerCertDomainSan] = add(s.server_cert_domain_san);
  refs_[kIsolationSegment] = add(s.isolation_segment);
  refs_[kAvailabilityZone] = add(s.availability_zone);

  std::vector<TagRefs> tags;
  if (s.tags) {
    tags.reserve(s.tags->size());
    for (const auto& [k, v] : *s.tags) {
      TagRefs t{};
      std::size_t known = 0;
      while (known < kKnownTagKeys.size() && kKnownTagKeys[known] != k) ++known;
      if (known < kKnownTagKeys.size()) {
        t.key_offset = static_cast<std::uint16_t>(known);
        t.key_size = kKnownKeyBit;
      } else {
        Ref r = add(k);
        t.key_offset = r.offset;
        t.key_size = r.size;
      }
      Ref r = add(v);
      t.value_offset = r.offset;
      t.value_size = r.size;
      tags.push_back(t);
    }
  }
  tag_count_ = static_cast<std::uint16_t>(tags.size());
  std::size_t head = tags.size() * sizeof(TagRefs);
  blob_size_ = static_cast<std::uint32_t>(head + text.size());
  blob_ = std::make_unique<char[]>(blob_size_);
  if (head) std::memcpy(blob_.get(), tags.data(), head);
  if (!text.empty()) std::memcpy(blob_.get() + head, text.data(), text.size());
}

std::string_view Endpoint::text(Ref r) const {
  if (r.size == 0) return {};
  return {blob_.get() + tag_count_ * sizeof(TagRefs) + r.offset, r.size};
}

std::optional<LoadBalancing> Endpoint::load_balancing() const {
  if (load_balancing_ == 0) return std::nullopt;
  return static_cast<LoadBalancing>(load_balancing_ - 1);
}

std::pair<std::string_view, std::string_view> Endpoint::tag(std::size_t i) const {
  assert(i < tag_count_);
  TagRefs t;
  std::memcpy(&t, blob_.get() + i * sizeof(TagRefs), sizeof t);
  std::string_view key = (t.key_size & kKnownKeyBit) ? kKnownTagKeys[t.key_offset]
                                                     : text(Ref{t.key_offset, t.key_size});
  return {key, text(Ref{t.value_offset, t.value_size})};
}

std::optional<std::string_view> Endpoint::tag(std::string_view key) const {
  for (std::size_t i = 0; i < tag_count_; ++i) {
    auto [k, v] = tag(i);
    if (k == key) return v;
  }
  return std::nullopt;
}

bool Endpoint::same_description(const Endpoint& o) const {
  if (blob_size_ != o.blob_size_ || tag_count_ != o.tag_count_ || host_len_ != o.host_len_ ||
      port_ != o.port_ || tls_ != o.tls_ || has_tags_ != o.has_tags_ || protocol_ != o.protocol_ ||
      load_balancing_ != o.load_balancing_ || stale_threshold_ != o.stale_threshold_ ||
      updated_at_ns_ != o.updated_at_ns_) {
    return false;
  }
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (refs_[i].offset != o.refs_[i].offset || refs_[i].size != o.refs_[i].size) return false;
  }
  return blob_size_ == 0 || std::memcmp(blob_.get(), o.blob_.get(), blob_size_) == 0;
}

void Endpoint::mark_failed(TimePoint until) {
  failed_until_ns_.store(unix_nanos(until), std::memory_order_relaxed);
}

bool Endpoint::failed(TimePoint now) const {
  std::int64_t until = failed_until_ns_.load(std::memory_order_relaxed);
  return until != 0 && until > unix_nanos(now);
}

}  // namespace cupola::router
