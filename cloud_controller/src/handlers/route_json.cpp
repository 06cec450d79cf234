#include "cloud_controller/src/handlers/route_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

void link(json::Writer& w, std::string_view name, const std::string& href) {
  w.key(name).start_object().field("href", href).end_object();
}

void to_one(json::Writer& w, std::string_view name, const std::optional<std::string>& guid) {
  w.key(name).start_object().key("data");
  if (guid) {
    w.start_object().field("guid", *guid).end_object();
  } else {
    w.value(nullptr);
  }
  w.end_object();
}

}  // namespace

void write_domain(json::Writer& w, const Urls& urls, const Domain& d) {
  std::string self = urls.api + "/v3/domains/" + d.guid;
  w.start_object();
  w.field("guid", d.guid).field("created_at", d.created_at).field("updated_at", d.updated_at);
  w.field("name", d.name).field("internal", d.internal);
  w.key("router_group").value(nullptr);
  w.key("supported_protocols").start_array().value("http").end_array();
  w.key("relationships").start_object();
  to_one(w, "organization", d.organization_guid);
  w.key("shared_organizations").start_object().key("data").start_array().end_array().end_object();
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "route_reservations", self + "/route_reservations");
  if (d.organization_guid) {
    link(w, "organization", urls.api + "/v3/organizations/" + *d.organization_guid);
  }
  w.end_object();
  w.end_object();
}

void write_destination(json::Writer& w, const Destination& d) {
  w.start_object().field("guid", d.guid);
  w.key("app").start_object().field("guid", d.app_guid);
  w.key("process").start_object().field("type", d.process_type).end_object().end_object();
  w.key("weight");
  if (d.weight) {
    w.value(*d.weight);
  } else {
    w.value(nullptr);
  }
  w.field("port", d.port).field("protocol", d.protocol);
  w.end_object();
}

void write_route(json::Writer& w, const Urls& urls, const Route& r) {
  std::string self = urls.api + "/v3/routes/" + r.guid;
  w.start_object();
  w.field("guid", r.guid).field("created_at", r.created_at).field("updated_at", r.updated_at);
  w.field("protocol", "http").field("host", r.host).field("path", r.path);
  w.key("port").value(nullptr);
  w.field("url", r.url());
  w.key("destinations").start_array();
  for (const auto& d : r.destinations) write_destination(w, d);
  w.end_array();
  w.key("options").start_object().end_object();
  w.key("relationships").start_object();
  to_one(w, "space", r.space_guid);
  to_one(w, "domain", r.domain_guid);
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "space", urls.api + "/v3/spaces/" + r.space_guid);
  link(w, "domain", urls.api + "/v3/domains/" + r.domain_guid);
  link(w, "destinations", self + "/destinations");
  w.end_object();
  w.end_object();
}

void write_destination_list(json::Writer& w, const Urls& urls, const Route& r) {
  std::string self = urls.api + "/v3/routes/" + r.guid;
  w.start_object().key("destinations").start_array();
  for (const auto& d : r.destinations) write_destination(w, d);
  w.end_array();
  w.key("links").start_object();
  link(w, "self", self + "/destinations");
  link(w, "route", self);
  w.end_object().end_object();
}

std::string related_guid(const json::Value& body, const char* name) {
  auto rel = body.FindMember("relationships");
  if (rel == body.MemberEnd() || !rel->value.IsObject()) return {};
  auto it = rel->value.FindMember(name);
  if (it == rel->value.MemberEnd() || !it->value.IsObject()) return {};
  auto data = it->value.FindMember("data");
  if (data == it->value.MemberEnd() || !data->value.IsObject()) return {};
  auto guid = data->value.FindMember("guid");
  if (guid == data->value.MemberEnd() || !guid->value.IsString()) return {};
  return guid->value.GetString();
}

asio::awaitable<Result<std::optional<Domain>>> default_domain(ApiContext& api,
                                                              std::string org_guid) {
  Viewer all;
  all.admin = true;
  ListQuery q;
  q.order_by = "created_at";
  q.per_page = 50;
  std::optional<std::string> only = org_guid;
  auto page = co_await api.routes.list_domains(all, std::move(q), only);
  if (!page) co_return std::move(page).error();
  for (auto& d : page->resources) {
    if (!d.organization_guid && !d.internal) co_return std::optional<Domain>(std::move(d));
  }
  co_return std::optional<Domain>();
}

}  // namespace cupola::cc
