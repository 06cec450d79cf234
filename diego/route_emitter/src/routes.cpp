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

}  // namespace cupola::route_emitter
