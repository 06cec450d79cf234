#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/time.h"

namespace cupola::router {

// What one endpoint's strings (address, fields, tag keys and values) may add up to.
inline constexpr std::size_t kMaxEndpointBytes = 60 * 1024;

// How a pool picks among its endpoints; gorouter's "round-robin" (its default) and
// "least-connection".
enum class LoadBalancing : std::uint8_t { RoundRobin, LeastConnection };
std::string_view to_string(LoadBalancing lb);
std::optional<LoadBalancing> parse_load_balancing(std::string_view s);

enum class Protocol : std::uint8_t { Http1, Http2 };
std::string_view to_string(Protocol p);

// What an endpoint is made of; the views are copied.
struct EndpointSpec {
  std::string_view host;
  std::uint16_t port = 0;
  bool tls = false;
  std::string_view app_id;
  std::string_view private_instance_id;
  std::string_view private_instance_index;
  std::string_view route_service_url;
  std::string_view server_cert_domain_san;
  std::string_view isolation_segment;
  std::string_view availability_zone;
  Protocol protocol = Protocol::Http1;
  std::chrono::seconds stale_threshold{120};
  std::int64_t updated_at_ns = 0;
  std::optional<LoadBalancing> load_balancing;
  // Null when the registration carried no tags.
  const std::map<std::string, std::string>* tags = nullptr;
};

// One backend (host:port) of a route, as one registration described it. The description is
// immutable; the request statistics (connections in flight, a failure mark) are atomics that
// any thread may update. Endpoints are shared (std::shared_ptr) between the pools of one
// registration's uris and between successive snapshots of the table, so the statistics survive
// a snapshot swap; a registration that changes the description makes a new Endpoint.
//
// The strings live in one allocation; a value repeated within the endpoint (the app guid in
// app_id, process_id and source_id tags, say) is stored once, and Cloud Foundry's usual tag
// names take no space, keeping a 100,000-route table small.
class Endpoint {
 public:
  // The strings of `spec` must add up to at most kMaxEndpointBytes (decode_registry_message
  // refuses larger messages).
  explicit Endpoint(const EndpointSpec& spec);
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // "host:port"; the port is the TLS port when tls().
  std::string_view address() const { return field(kAddress); }
  std::string_view host() const { return address().substr(0, host_len_); }
  std::uint16_t port() const { return port_; }
  bool tls() const { return tls_; }
  std::string_view app_id() const { return field(kAppId); }
  std::string_view private_instance_id() const { return field(kInstanceId); }
  std::string_view private_instance_index() const { return field(kInstanceIndex); }
  std::string_view route_service_url() const { return field(kRouteServiceUrl); }
  std::string_view server_cert_domain_san() const { return field(kServerCertDomainSan); }
  std::string_view isolation_segment() const { return field(kIsolationSegment); }
  std::string_view availability_zone() const { return field(kAvailabilityZone); }
  Protocol protocol() const { return protocol_; }
  std::chrono::seconds stale_threshold() const { return std::chrono::seconds(stale_threshold_); }
  std::int64_t updated_at_ns() const { return updated_at_ns_; }
  std::optional<LoadBalancing> load_balancing() const;

  // Tags in key order. has_tags() is false when the registration carried none.
  bool has_tags() const { return has_tags_; }
  std::size_t tag_count() const { return tag_count_; }
  std::pair<std::string_view, std::string_view> tag(std::size_t i) const;
  std::optional<std::string_view> tag(std::string_view key) const;

  // True when both describe the same registration (statistics aside).
  bool same_description(const Endpoint& other) const;

  // Connections in flight, for least-connection and the connection limit. Thread-safe.
  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  void begin_request() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void end_request() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // A backend that failed is skipped until `until` (gorouter: a quarter of
  // droplet_stale_threshold after the failure), unless every endpoint of the pool failed.
  // Thread-safe.
  void mark_failed(TimePoint until);
  void clear_failure() { failed_until_ns_.store(0, std::memory_order_relaxed); }
  bool failed(TimePoint now) const;

 private:
  enum Field : std::uint8_t {
    kAddress,
    kAppId,
    kInstanceId,
    kInstanceIndex,
    kRouteServiceUrl,
    kServerCertDomainSan,
    kIsolationSegment,
    kAvailabilityZone,
    kFieldCount
  };
  struct Ref {
    std::uint16_t offset = 0;
    std::uint16_t size = 0;
  };
  std::string_view field(Field f) const { return text(refs_[f]); }
  std::string_view text(Ref r) const;

  // Tag references (pairs of Refs) then text.
  std::unique_ptr<char[]> blob_;
  std::uint32_t blob_size_ = 0;
  std::uint16_t tag_count_ = 0;
  std::uint16_t host_len_ = 0;
  std::array<Ref, kFieldCount> refs_{};
  std::uint16_t port_ = 0;
  bool tls_ = false;
  bool has_tags_ = false;
  Protocol protocol_ = Protocol::Http1;
  std::uint8_t load_balancing_ = 0;  // 0: none, else LoadBalancing + 1
  std::int32_t stale_threshold_ = 0;
  std::int64_t updated_at_ns_ = 0;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> failed_until_ns_{0};
};

// Counts one request against an endpoint for as long as it lives.
class InFlight {
 public:
  InFlight() = default;
  explicit InFlight(std::shared_ptr<Endpoint> e) : e_(std::move(e)) {
    if (e_) e_->begin_request();
  }
  InFlight(InFlight&& o) noexcept : e_(std::move(o.e_)) {}
  InFlight& operator=(InFlight&& o) noexcept {
    if (this != &o) {
      release();
      e_ = std::move(o.e_);
    }
    return *this;
  }
  ~InFlight() { release(); }
  const std::shared_ptr<Endpoint>& endpoint() const { return e_; }
  void release() {
    if (e_) e_->end_request();
    e_.reset();
  }

 private:
  std::shared_ptr<Endpoint> e_;
};

}  // namespace cupola::router
