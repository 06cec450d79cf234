// Service instances through the v2 API (cf create-service, services, service, rename-service,
// delete-service): the rows, checks and broker operations of v3, in v2's shapes. A managed
// create, update or delete waits a short while for the broker: done at once is 201 (204 for a
// delete), still working is 202 with the instance and its last operation in progress, which a
// client polls at GET /v2/service_instances/:guid. async=true on a delete asks not to wait.

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/managed_services.h"
#include "cloud_controller/src/handlers/v2_json.h"
#include "cloud_controller/src/handlers/v2_support.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kInstanceAttributes{"name", "space_guid", "service_plan_guid",
                                                   "organization_guid"};

// The store's query for a v2 list of instances.
ListQuery instance_query(const V2Query& q) {
  ListQuery out = store_query(q);
  for (const auto& [attribute, filter] :
       {std::pair{"name", "names"}, std::pair{"space_guid", "space_guids"},
        std::pair{"service_plan_guid", "service_plan_guids"},
        std::pair{"organization_guid", "organization_guids"}}) {
    if (const auto* v = q.filter(attribute)) out.filters[filter] = *v;
  }
  return out;
}

// A list of instances: `type` ("managed", "user-provided" or "" for both), in `space_guid`
// when it is not "".
V2ListWriter instance_list(ApiContext& api, std::string type, std::string space_guid) {
  return [&api, type, space_guid](
             Caller caller, V2Query q,
             json::Writer& w) -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
    ListQuery lq = instance_query(q);
    if (!type.empty()) lq.filters["type"] = {type};
    if (!space_guid.empty()) lq.filters["space_guids"] = {space_guid};
    auto page = co_await api.services.list_instances(caller.viewer(), std::move(lq));
    if (!page) co_return store_error(api, page.error());
    auto rendered =
        co_await rendered_instances(api, caller, std::move(page->resources), q.inline_relations);
    if (!rendered) co_return store_error(api, rendered.error());
    w.key("resources").start_array();
    for (const auto& r : *rendered) w.raw(r);
    w.end_array();
    co_return page->total;
  };
}

// The v2 body's members that v3 names alike, and its plan as a v3 relationship.
std::string v3_instance_body(const json::Value& doc, bool create) {
  json::Writer w;
  w.start_object();
  if (create) w.field("type", "managed");
  for (const char* key : {"name", "parameters", "tags"}) {
    auto it = doc.FindMember(key);
    if (it != doc.MemberEnd() && !it->value.IsNull()) w.key(key).value(it->value);
  }
  auto plan = doc.FindMember("service_plan_guid");
  if (plan != doc.MemberEnd() && plan->value.IsString()) {
    w.key("relationships").start_object().key("service_plan").start_object().key("data");
    w.start_object().field("guid", plan->value.GetString()).end_object();
    w.end_object().end_object();
  }
  w.end_object();
  return w.str();
}

CcError name_taken(const std::string& name) {
  return v2_failure(http::StatusCode::bad_request, 60002, "ServiceInstanceNameTaken",
                    "The service instance name is taken: " + name);
}

// The name a body asks for, when it is a string other than `current`.
std::optional<std::string> new_name(const json::Value& doc, const std::string& current) {
  auto n = doc.FindMember("name");
  if (n == doc.MemberEnd() || !n->value.IsString() || n->value.GetString() == current) return {};
  return std::string(n->value.GetString());
}

// The answer once a managed operation settled: 201 when the broker is done (204 when a
// delete removed the instance), 202 while it works on, 502 with its reason when it failed.
asio::awaitable<http::Response> settled_answer(ApiContext& api, Caller caller, std::string guid,
                                               bool accepts_incomplete) {
  auto settled = co_await settled_instance(api, guid, accepts_incomplete);
  if (!settled) co_return v2_answer(store_error(api, settled.error()));
  if (!*settled) co_return http::make_response(http::StatusCode::no_content, "", "");
  const ServiceInstance& i = **settled;
  if (i.operation.state == "failed") co_return v2_error(broker_failed(i.operation.description));
  bool working = i.operation.state == "in progress";
  co_return co_await answer_instance(
      api, std::move(caller), i, working ? http::StatusCode::accepted : http::StatusCode::created);
}

asio::awaitable<http::Response> create_instance(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  auto member = [&doc](const char* key) {
    auto it = doc.FindMember(key);
    return it != doc.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                         : std::string();
  };
  auto space = co_await v2_space(api, caller, member("space_guid"));
  if (auto* refusal = std::get_if<http::Response>(&space)) co_return std::move(*refusal);
  std::string space_guid = std::get<Space>(space).guid;
  if (auto refusal = co_await v2_refusal_unless(api, caller, space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  std::string name = member("name");
  auto taken = co_await instance_name_taken(api, space_guid, name);
  if (!taken) co_return v2_answer(store_error(api, taken.error()));
  if (*taken) co_return v2_error(name_taken(name));
  auto started =
      co_await start_managed_instance(api, caller, v3_instance_body(doc, true), space_guid);
  if (auto* refusal = std::get_if<http::Response>(&started)) {
    co_return v2_answer(std::move(*refusal));
  }
  std::string guid = std::get<StartedInstance>(started).instance.guid;
  co_return co_await settled_answer(api, caller, guid,
                                    ctx.query_param("accepts_incomplete") == "true");
}

asio::awaitable<http::Response> update_instance(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto found = co_await v2_instance(api, caller, std::string(ctx.params.get("guid")));
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  ServiceInstance instance = std::get<ServiceInstance>(std::move(found));
  if (instance.type != "managed") co_return co_await update_user_provided_instance(api, ctx);
  if (auto refusal = co_await v2_refusal_unless(api, caller, instance.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  auto body = v2_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  if (auto name = new_name(doc, instance.name)) {
    auto taken = co_await instance_name_taken(api, instance.space_guid, *name);
    if (!taken) co_return v2_answer(store_error(api, taken.error()));
    if (*taken) co_return v2_error(name_taken(*name));
  }
  auto started = co_await start_managed_update(api, caller, instance, v3_instance_body(doc, false));
  if (auto* refusal = std::get_if<http::Response>(&started)) {
    co_return v2_answer(std::move(*refusal));
  }
  auto& [saved, job] = std::get<StartedInstance>(started);
  if (!job) co_return co_await answer_instance(api, caller, saved, http::StatusCode::created);
  co_return co_await settled_answer(api, caller, saved.guid,
                                    ctx.query_param("accepts_incomplete") == "true");
}

asio::awaitable<http::Response> delete_instance(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto found = co_await v2_instance(api, caller, std::string(ctx.params.get("guid")));
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  ServiceInstance instance = std::get<ServiceInstance>(std::move(found));
  if (instance.type != "managed") co_return co_await delete_user_provided_instance(api, ctx);
  if (auto refusal = co_await v2_refusal_unless(api, caller, instance.space_guid, kV2Developers)) {
    co_return std::move(*refusal);
  }
  bool purge = ctx.query_param("purge") == "true";
  auto started = co_await start_managed_delete(api, caller, instance, purge);
  if (auto* refusal = std::get_if<http::Response>(&started)) {
    co_return v2_answer(std::move(*refusal));
  }
  auto& [deleting, job] = std::get<StartedInstance>(started);
  if (!job) co_return http::make_response(http::StatusCode::no_content, "", "");
  // The instance is the answer, not a job: the cf CLI polls only URLs of /jobs/.
  if (ctx.query_param("async") == "true") {
    co_return co_await answer_instance(api, caller, deleting, http::StatusCode::accepted);
  }
  co_return co_await settled_answer(api, caller, deleting.guid,
                                    ctx.query_param("accepts_incomplete") == "true");
}

asio::awaitable<http::Response> get_instance(ApiContext& api, http::RequestContext& ctx,
                                             bool user_provided_only) {
  auto who = co_await v2_authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  std::string guid(ctx.params.get("guid"));
  auto found = co_await v2_instance(api, std::get<Caller>(who), guid);
  if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
  ServiceInstance instance = std::get<ServiceInstance>(std::move(found));
  if (user_provided_only && instance.type == "managed") {
    co_return v2_error(service_instance_not_found(guid));
  }
  co_return co_await answer_instance(api, std::get<Caller>(who), std::move(instance),
                                     http::StatusCode::ok);
}

}  // namespace

void add_v2_instance_routes(http::Router& r, ApiContext& api) {
  r.get("/v2/service_instances", [&api](http::RequestContext& ctx) {
    return answer_v2_list(api, ctx, kInstanceAttributes, "/v2/service_instances",
                          instance_list(api, "managed", ""));
  });
  r.get("/v2/user_provided_service_instances", [&api](http::RequestContext& ctx) {
    return answer_v2_list(api, ctx, kInstanceAttributes, "/v2/user_provided_service_instances",
                          instance_list(api, "user-provided", ""));
  });
  r.get("/v2/spaces/:guid/service_instances",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          std::string space(ctx.params.get("guid"));
          bool all = ctx.query_param("return_user_provided_service_instances") == "true";
          auto write = instance_list(api, all ? "" : "managed", space);
          // The space must be one the caller sees: its lists say so before they are empty.
          V2ListWriter checked = [&api, space, write](Caller caller, V2Query q, json::Writer& w)
              -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
            auto found = co_await v2_space(api, caller, space);
            if (auto* refusal = std::get_if<http::Response>(&found)) co_return *refusal;
            co_return co_await write(std::move(caller), std::move(q), w);
          };
          co_return co_await answer_v2_list(api, ctx, kInstanceAttributes,
                                            "/v2/spaces/" + space + "/service_instances",
                                            std::move(checked));
        });
  r.get("/v2/service_instances/:guid",
        [&api](http::RequestContext& ctx) { return get_instance(api, ctx, false); });
  r.get("/v2/user_provided_service_instances/:guid",
        [&api](http::RequestContext& ctx) { return get_instance(api, ctx, true); });
  r.post("/v2/service_instances",
         [&api](http::RequestContext& ctx) { return create_instance(api, ctx); });
  r.put("/v2/service_instances/:guid",
        [&api](http::RequestContext& ctx) { return update_instance(api, ctx); });
  r.del("/v2/service_instances/:guid",
        [&api](http::RequestContext& ctx) { return delete_instance(api, ctx); });
  add_v2_user_provided_routes(r, api);

  // Instances are not shared between spaces here: shared_to lists none, shared_from is empty.
  r.get("/v2/service_instances/:guid/shared_to",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          std::string guid(ctx.params.get("guid"));
          V2ListWriter none = [&api, guid](Caller caller, V2Query, json::Writer& w)
              -> asio::awaitable<std::variant<std::int64_t, http::Response>> {
            auto found = co_await v2_instance(api, caller, guid);
            if (auto* refusal = std::get_if<http::Response>(&found)) co_return *refusal;
            w.key("resources").start_array().end_array();
            co_return std::int64_t{0};
          };
          co_return co_await answer_v2_list(
              api, ctx, {}, "/v2/service_instances/" + guid + "/shared_to", std::move(none));
        });
  r.get("/v2/service_instances/:guid/shared_from",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await v2_authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto found =
              co_await v2_instance(api, std::get<Caller>(who), std::string(ctx.params.get("guid")));
          if (auto* refusal = std::get_if<http::Response>(&found)) co_return std::move(*refusal);
          co_return http::make_response(http::StatusCode::no_content, "", "");
        });
}

}  // namespace cupola::cc
