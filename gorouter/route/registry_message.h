#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::router {

// The body of router.register and router.unregister, field for field as gorouter reads it
// (mbus.RegistryMessage). Unknown fields are ignored; a field of the wrong type refuses the
// message, as Go's decoder does.
struct RegistryMessage {
  std::string host;
  std::uint16_t port = 0;
  // When set, the backend is reached over TLS on this port instead of `port`.
  std::uint16_t tls_port = 0;
  std::vector<std::string> uris;
  std::string app;
  std::string private_instance_id;
  // A string in gorouter ("0"); a non-negative integer is read as its decimal form.
  std::string private_instance_index;
  // Absent and empty differ only in /routes ("tags":null against "tags":{}).
  std::optional<std::map<std::string, std::string>> tags;
  // 0: the router's droplet_stale_threshold.
  int stale_threshold_in_seconds = 0;
  std::string route_service_url;
  std::string server_cert_domain_san;
  std::string isolation_segment;
  std::int64_t endpoint_updated_at_ns = 0;
  // "" (meaning "http1"), "http1" or "http2".
  std::string protocol;
  std::string availability_zone;
  // options.loadbalancing: "round-robin" or "least-connection"; other values are kept here and
  // ignored by the registry, as gorouter does.
  std::string load_balancing;
};

// Bounds on one message, so that a faulty emitter cannot make the router hold unbounded data.
struct MessageLimits {
  std::size_t max_bytes = 1 << 20;  // NATS's default max_payload
  std::size_t max_uris = 1024;
  std::size_t max_field_bytes = 1024;  // each string field but route_service_url
  std::size_t max_url_bytes = 2048;    // route_service_url
  std::size_t max_tags = 64;
  std::size_t max_tag_key_bytes = 256;
  std::size_t max_tag_value_bytes = 1024;
  std::size_t max_tags_bytes = 16 * 1024;  // keys and values together
};

// Decodes and validates a message. Errors: LimitExceeded when larger than limits.max_bytes;
// otherwise InvalidArgument listing every problem, each naming its field ("uris[2]: uri
// \"a b\": the host contains ..."): invalid JSON, a field of the wrong type, no host, neither
// port nor tls_port, no uris or a malformed one, a route_service_url that is not https, an
// unknown protocol, a negative stale threshold, a limit exceeded.
Result<RegistryMessage> decode_registry_message(std::string_view json,
                                                const MessageLimits& limits = {});

// Compact JSON; empty optional fields are left out.
std::string encode_registry_message(const RegistryMessage& message);

// router.start (published by a router when it starts or reconnects) and the reply to
// router.greet: how often emitters must re-send and when the router prunes.
struct RouterStart {
  std::string id;
  std::vector<std::string> hosts;
  int minimum_register_interval_in_seconds = 20;
  int prune_threshold_in_seconds = 120;
};

// Absent fields keep their defaults. Errors: InvalidArgument (invalid JSON, wrong types,
// negative intervals).
Result<RouterStart> decode_router_start(std::string_view json);
// {"id":…,"hosts":[…],"minimumRegisterIntervalInSeconds":…,"pruneThresholdInSeconds":…}
std::string encode_router_start(const RouterStart& start);

}  // namespace cupola::router
