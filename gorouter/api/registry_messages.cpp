#include "gorouter/api/registry_messages.h"

#include "common/json/json.h"

namespace cupola::router_api {

std::string to_json(const RegistryMessage& m) {
  json::Writer w;
  w.start_object().field("host", m.host).field("port", m.port);
  w.key("uris").start_array();
  for (const auto& u : m.uris) w.value(u);
  w.end_array();
  w.field("app", m.app)
      .field("private_instance_id", m.private_instance_id)
      .field("private_instance_index", m.private_instance_index)
      .field("server_cert_domain_san", m.server_cert_domain_san)
      .field("endpoint_updated_at_ns", m.endpoint_updated_at_ns);
  if (!m.route_service_url.empty()) w.field("route_service_url", m.route_service_url);
  if (!m.isolation_segment.empty()) w.field("isolation_segment", m.isolation_segment);
  if (!m.availability_zone.empty()) w.field("availability_zone", m.availability_zone);
  w.key("tags").start_object();
  for (const auto& [k, v] : m.tags) w.field(k, v);
  w.end_object();
  w.end_object();
  return w.str();
}

Result<RouterGreeting> parse_router_greeting(std::string_view text) {
  auto doc = json::parse(text);
  if (!doc) return std::move(doc).error();
  RouterGreeting g;
  json::ObjectReader r(*doc);
  r.optional("id", g.id);
  r.optional("hosts", g.hosts);
  r.optional("minimumRegisterIntervalInSeconds", g.minimum_register_interval_seconds);
  r.optional("pruneThresholdInSeconds", g.prune_threshold_seconds);
  if (g.minimum_register_interval_seconds < 1) {
    r.problem("minimumRegisterIntervalInSeconds", "must be at least 1");
  }
  if (auto st = r.status("router greeting"); !st) return std::move(st).error();
  return g;
}

std::string to_json(const RouterGreeting& g) {
  json::Writer w;
  w.start_object().field("id", g.id);
  w.key("hosts").start_array();
  for (const auto& h : g.hosts) w.value(h);
  w.end_array();
  w.field("minimumRegisterIntervalInSeconds", g.minimum_register_interval_seconds)
      .field("pruneThresholdInSeconds", g.prune_threshold_seconds);
  w.end_object();
  return w.str();
}

}  // namespace cupola::router_api
