#include "diego/route_emitter/src/routes.h"

#include "common/json/json.h"

namespace cupola::route_emitter {
namespace {

constexpr std::size_t kMaxRoutes = 1000;
constexpr std::size_t kMaxHostnames = 1000;

Error invalid(std::string message) {
  return make_error(make_error_code(Errc::InvalidArgument), std::move(message));
}

}  // namespace

Result<std::vector<CfRoute>> parse_cf_routes(std::string_view routes_json) {
  std::vector<CfRoute> routes;
  if (routes_json.empty()) return routes;
  auto doc = json::parse(routes_json);
  if (!doc) return std::move(doc).error();
  if (!doc->IsObject()) return invalid("routes: expected an object");
  auto it = doc->FindMember("cf-router");
  if (it == doc->MemberEnd() || it->value.IsNull()) return routes;
  if (!it->value.IsArray()) return invalid("routes.cf-router: expected an array");
  if (it->value.Size() > kMaxRoutes) return invalid("routes.cf-router: too many routes");
  json::ObjectReader root(*doc);
  for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
    std::string path = "cf-router[" + std::to_string(i) + "]";
    json::ObjectReader r(it->value[i], path, root);
    CfRoute route;
    r.optional("hostnames", route.hostnames);
    r.optional("port", route.port);
    r.optional("route_service_url", route.route_service_url);
    r.optional("isolation_segment", route.isolation_segment);
    if (route.hostnames.size() > kMaxHostnames) r.problem("hostnames", "too many hostnames");
    routes.push_back(std::move(route));
  }
  if (auto st = root.status("routes"); !st) return std::move(st).error();
  return routes;
}

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

}  // namespace cupola::route_emitter
