#include "gorouter/route/registry_message.h"

#include <fmt/format.h>

#include "common/json/json.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/route/route_key.h"

namespace cupola::router {
namespace {

void read_port(json::ObjectReader& r, std::string_view key, std::uint16_t& out) {
  unsigned port = 0;
  if (!r.optional(key, port)) return;
  if (port > 65535) {
    r.problem(key, fmt::format("{} is not a port number (0-65535)", port));
    return;
  }
  out = static_cast<std::uint16_t>(port);
}

void check_length(json::ObjectReader& r, std::string_view key, const std::string& value,
                  std::size_t max) {
  if (value.size() > max) r.problem(key, fmt::format("is longer than {} bytes", max));
}

void read_index(json::ObjectReader& r, std::string& out) {
  const json::Value* v = r.find("private_instance_index");
  if (!v || v->IsNull()) return;
  if (v->IsUint64()) {
    out = std::to_string(v->GetUint64());
    return;
  }
  r.optional("private_instance_index", out);
}

void check_host(json::ObjectReader& r, const std::string& host) {
  if (host.empty()) {
    r.problem("host", "is required");
    return;
  }
  check_length(r, "host", host, 255);
  for (char c : host) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@') {
      r.problem("host", fmt::format("{:?} is not a host name or address", host));
      return;
    }
  }
}

void check_uris(json::ObjectReader& r, const RegistryMessage& m, const MessageLimits& limits) {
  if (!r.find("uris")) return;  // already reported as required
  if (m.uris.empty()) {
    r.problem("uris", "must name at least one route");
    return;
  }
  if (m.uris.size() > limits.max_uris) {
    r.problem("uris", fmt::format("has {} routes, more than {}", m.uris.size(), limits.max_uris));
    return;
  }
  for (std::size_t i = 0; i < m.uris.size(); ++i) {
    auto key = RouteKey::parse(m.uris[i]);
    if (!key) r.problem(fmt::format("uris[{}]", i), key.error().message);
  }
}

void check_tags(json::ObjectReader& r, const RegistryMessage& m, const MessageLimits& limits) {
  if (!m.tags) return;
  if (m.tags->size() > limits.max_tags) {
    r.problem("tags", fmt::format("has {} entries, more than {}", m.tags->size(), limits.max_tags));
    return;
  }
  std::size_t total = 0;
  for (const auto& [k, v] : *m.tags) {
    total += k.size() + v.size();
    if (k.size() > limits.max_tag_key_bytes) {
      r.problem("tags", fmt::format("key {:?}... is longer than {} bytes", k.substr(0, 32),
                                    limits.max_tag_key_bytes));
    }
    if (v.size() > limits.max_tag_value_bytes) {
      r.problem("tags." + k, fmt::format("is longer than {} bytes", limits.max_tag_value_bytes));
    }
  }
  if (total > limits.max_tags_bytes) {
    r.problem("tags", fmt::format("hold {} bytes, more than {}", total, limits.max_tags_bytes));
  }
}

// An Endpoint keeps its strings in one block addressed by 16-bit offsets: whatever the
// configured limits, a message must fit in one.
void check_endpoint_size(json::ObjectReader& r, const RegistryMessage& m) {
  std::size_t total = m.host.size() + 6 + m.app.size() + m.private_instance_id.size() +
                      m.private_instance_index.size() + m.route_service_url.size() +
                      m.server_cert_domain_san.size() + m.isolation_segment.size() +
                      m.availability_zone.size();
  if (m.tags) {
    for (const auto& [k, v] : *m.tags) total += k.size() + v.size();
  }
  if (total > kMaxEndpointBytes) {
    r.problem("tags", fmt::format("the endpoint's fields and tags hold {} bytes, more than {}",
                                  total, kMaxEndpointBytes));
  }
}

}  // namespace

Result<RegistryMessage> decode_registry_message(std::string_view text,
                                                const MessageLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error(Errc::LimitExceeded,
                      fmt::format("registry message of {} bytes is larger than {} bytes",
                                  text.size(), limits.max_bytes));
  }
  auto doc = json::parse(text, json::ParseLimits{.max_bytes = limits.max_bytes, .max_depth = 8});
  if (!doc) return std::move(doc).error();

  RegistryMessage m;
  json::ObjectReader r(*doc);
  r.optional("host", m.host);
  read_port(r, "port", m.port);
  read_port(r, "tls_port", m.tls_port);
  r.required("uris", m.uris);
  r.optional("app", m.app);
  r.optional("private_instance_id", m.private_instance_id);
  read_index(r, m.private_instance_index);
  r.optional("tags", m.tags);
  r.optional("stale_threshold_in_seconds", m.stale_threshold_in_seconds);
  r.optional("route_service_url", m.route_service_url);
  r.optional("server_cert_domain_san", m.server_cert_domain_san);
  r.optional("isolation_segment", m.isolation_segment);
  r.optional("endpoint_updated_at_ns", m.endpoint_updated_at_ns);
  r.optional("protocol", m.protocol);
  r.optional("availability_zone", m.availability_zone);
  r.object("options").optional("loadbalancing", m.load_balancing);
  if (!r.ok()) return r.status("registry message").error();

  check_host(r, m.host);
  if (m.port == 0 && m.tls_port == 0) r.problem("port", "is required (or tls_port)");
  check_uris(r, m, limits);
  check_tags(r, m, limits);
  check_endpoint_size(r, m);
  if (m.stale_threshold_in_seconds < 0) r.problem("stale_threshold_in_seconds", "is negative");
  if (!m.route_service_url.empty() && !m.route_service_url.starts_with("https")) {
    r.problem("route_service_url", "must be an https URL");
  }
  if (!m.protocol.empty() && m.protocol != "http1" && m.protocol != "http2") {
    r.problem("protocol", fmt::format("{:?} is neither \"http1\" nor \"http2\"", m.protocol));
  }
  check_length(r, "route_service_url", m.route_service_url, limits.max_url_bytes);
  check_length(r, "app", m.app, limits.max_field_bytes);
  check_length(r, "private_instance_id", m.private_instance_id, limits.max_field_bytes);
  check_length(r, "private_instance_index", m.private_instance_index, limits.max_field_bytes);
  check_length(r, "server_cert_domain_san", m.server_cert_domain_san, limits.max_field_bytes);
  check_length(r, "isolation_segment", m.isolation_segment, limits.max_field_bytes);
  check_length(r, "availability_zone", m.availability_zone, limits.max_field_bytes);
  check_length(r, "options.loadbalancing", m.load_balancing, limits.max_field_bytes);
  if (!r.ok()) return r.status("registry message").error();
  return m;
}

std::string encode_registry_message(const RegistryMessage& m) {
  json::Writer w;
  w.start_object();
  w.field("host", m.host);
  w.field("port", static_cast<unsigned>(m.port));
  if (m.tls_port != 0) w.field("tls_port", static_cast<unsigned>(m.tls_port));
  w.key("uris").start_array();
  for (const auto& u : m.uris) w.value(u);
  w.end_array();
  auto opt = [&w](std::string_view key, const std::string& v) {
    if (!v.empty()) w.field(key, v);
  };
  opt("app", m.app);
  opt("private_instance_id", m.private_instance_id);
  opt("private_instance_index", m.private_instance_index);
  if (m.tags) {
    w.key("tags").start_object();
    for (const auto& [k, v] : *m.tags) w.field(k, v);
    w.end_object();
  }
  if (m.stale_threshold_in_seconds != 0) {
    w.field("stale_threshold_in_seconds", m.stale_threshold_in_seconds);
  }
  opt("route_service_url", m.route_service_url);
  opt("server_cert_domain_san", m.server_cert_domain_san);
  opt("isolation_segment", m.isolation_segment);
  if (m.endpoint_updated_at_ns != 0) w.field("endpoint_updated_at_ns", m.endpoint_updated_at_ns);
  opt("protocol", m.protocol);
  opt("availability_zone", m.availability_zone);
  if (!m.load_balancing.empty()) {
    w.key("options").start_object().field("loadbalancing", m.load_balancing).end_object();
  }
  w.end_object();
  return w.str();
}

Result<RouterStart> decode_router_start(std::string_view text) {
  auto doc = json::parse(text, json::ParseLimits{.max_bytes = 64 * 1024, .max_depth = 4});
  if (!doc) return std::move(doc).error();
  RouterStart s;
  json::ObjectReader r(*doc);
  r.optional("id", s.id);
  r.optional("hosts", s.hosts);
  r.optional("minimumRegisterIntervalInSeconds", s.minimum_register_interval_in_seconds);
  r.optional("pruneThresholdInSeconds", s.prune_threshold_in_seconds);
  if (r.ok() && s.minimum_register_interval_in_seconds < 0) {
    r.problem("minimumRegisterIntervalInSeconds", "is negative");
  }
  if (r.ok() && s.prune_threshold_in_seconds < 0) {
    r.problem("pruneThresholdInSeconds", "is negative");
  }
  if (!r.ok()) return r.status("router.start message").error();
  return s;
}

std::string encode_router_start(const RouterStart& s) {
  json::Writer w;
  w.start_object();
  w.field("id", s.id);
  w.key("hosts").start_array();
  for (const auto& h : s.hosts) w.value(h);
  w.end_array();
  w.field("minimumRegisterIntervalInSeconds", s.minimum_register_interval_in_seconds);
  w.field("pruneThresholdInSeconds", s.prune_threshold_in_seconds);
  w.end_object();
  return w.str();
}

}  // namespace cupola::router
