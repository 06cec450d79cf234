// /v3/audit_events and /v3/app_usage_events, and the recording the other handlers do.

#include "cloud_controller/src/handlers/events.h"

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kAuditList{{"guids", "types", "target_guids", "space_guids", "organization_guids"},
                          {"created_at", "updated_at"},
                          {}};
const ListSpec kUsageList{{"guids", "after_guid"}, {"created_at"}, {}};

void write_audit(json::Writer& w, const Urls& urls, const AuditEvent& e) {
  w.start_object();
  w.field("guid", e.guid).field("created_at", e.created_at).field("updated_at", e.created_at);
  w.field("type", e.type);
  w.key("actor").start_object().field("guid", e.actor_guid).field("type", e.actor_type);
  w.field("name", e.actor_name).end_object();
  w.key("target").start_object().field("guid", e.target_guid).field("type", e.target_type);
  w.field("name", e.target_name).end_object();
  w.key("data").raw(e.data_json);
  w.key("space");
  if (e.space_guid.empty()) {
    w.value(nullptr);
  } else {
    w.start_object().field("guid", e.space_guid).end_object();
  }
  w.key("organization");
  if (e.organization_guid.empty()) {
    w.value(nullptr);
  } else {
    w.start_object().field("guid", e.organization_guid).end_object();
  }
  w.key("links").start_object().key("self").start_object();
  w.field("href", urls.api + "/v3/audit_events/" + e.guid).end_object().end_object();
  w.end_object();
}

void pair(json::Writer& w, const char* key, std::int64_t current, std::int64_t previous,
          bool has_previous) {
  w.key(key).start_object().field("current", current).key("previous");
  if (has_previous) {
    w.value(previous);
  } else {
    w.value(nullptr);
  }
  w.end_object();
}

void write_usage(json::Writer& w, const Urls& urls, const UsageEvent& u) {
  bool previous = !u.previous_state.empty();
  w.start_object();
  w.field("guid", u.guid).field("created_at", u.created_at).field("updated_at", u.created_at);
  w.key("state").start_object().field("current", u.state).key("previous");
  if (previous) {
    w.value(u.previous_state);
  } else {
    w.value(nullptr);
  }
  w.end_object();
  w.key("app").start_object().field("guid", u.app_guid).field("name", u.app_name).end_object();
  w.key("process").start_object().field("guid", u.process_guid);
  w.field("type", u.process_type).end_object();
  w.key("space").start_object().field("guid", u.space_guid).field("name", u.space_name);
  w.end_object();
  w.key("organization").start_object().field("guid", u.organization_guid).end_object();
  w.key("buildpack");
  if (u.buildpack_guid.empty() && u.buildpack_name.empty()) {
    w.value(nullptr);
  } else {
    w.start_object().field("guid", u.buildpack_guid).field("name", u.buildpack_name).end_object();
  }
  w.key("task").start_object().key("guid").value(nullptr).key("name").value(nullptr).end_object();
  pair(w, "memory_in_mb_per_instance", u.memory_in_mb_per_instance,
       u.previous_memory_in_mb_per_instance, previous);
  pair(w, "instance_count", u.instance_count, u.previous_instance_count, previous);
  w.key("links").start_object().key("self").start_object();
  w.field("href", urls.api + "/v3/app_usage_events/" + u.guid).end_object().end_object();
  w.end_object();
}

}  // namespace

namespace {

// The line an app's logs get for an event about it, as Cloud Foundry's API lines read.
std::string api_line(const std::string& type, const EventTarget& app, const std::string& data) {
  const std::string who = "app with guid " + app.guid;
  if (type == "audit.app.create") return "Created " + who;
  if (type == "audit.app.start") return "Updated " + who + " ({\"state\"=>\"STARTED\"})";
  if (type == "audit.app.stop") return "Updated " + who + " ({\"state\"=>\"STOPPED\"})";
  if (type == "audit.app.restart") return "Restarted " + who;
  if (type == "audit.app.update") return "Updated " + who;
  if (type == "audit.app.delete-request") return "Deleted " + who;
  if (type == "audit.app.process.scale") return "Scaled process of " + who + " (" + data + ")";
  if (type == "audit.app.build.create") return "Creating build for " + who;
  if (type == "audit.app.droplet.mapped") return "Assigned droplet to " + who;
  if (type == "audit.app.upload-bits") return "Uploaded bits for " + who;
  if (type == "audit.app.map-route") return "Mapped route to " + who + " (" + data + ")";
  if (type == "audit.app.unmap-route") return "Unmapped route from " + who + " (" + data + ")";
  return "";
}

}  // namespace

asio::awaitable<void> audit(ApiContext& api, Caller caller, std::string type, EventTarget target,
                            std::string space_guid, std::string data_json) {
  if (target.type == "app" && api.app_log) {
    std::string line = api_line(type, target, data_json);
    if (!line.empty()) api.app_log(target.guid, std::move(line));
  }
  AuditEvent e;
  e.guid = api.guids.next();
  e.type = type;
  e.actor_guid = caller.user_guid;
  e.actor_type = caller.user_name.empty() ? "client" : "user";
  e.actor_name = caller.user_name;
  e.target_guid = target.guid;
  e.target_type = target.type;
  e.target_name = target.name;
  e.data_json = data_json;
  e.space_guid = space_guid;
  if (target.type == "organization") e.organization_guid = target.guid;
  if (auto st = co_await api.events.record(std::move(e)); !st) {
    api.log.error("audit-event-failed", st.error().message, {{"type", type}});
  }
}

asio::awaitable<void> record_usage(ApiContext& api, std::string app_guid, std::string state,
                                   std::string previous, std::optional<Process> before) {
  std::vector<std::string> apps{app_guid};
  auto runs = co_await api.droplets.runs(apps);
  if (!runs) {
    api.log.error("usage-event-failed", runs.error().message, {{"app_guid", app_guid}});
    co_return;
  }
  std::vector<UsageEvent> events;
  for (const auto& r : *runs) {
    if (before && before->guid != r.process.guid) continue;
    UsageEvent u;
    u.guid = api.guids.next();
    u.state = state;
    u.previous_state = previous;
    u.app_guid = r.app.guid;
    u.app_name = r.app.name;
    u.process_guid = r.process.guid;
    u.process_type = r.process.type;
    u.instance_count = r.process.instances;
    u.memory_in_mb_per_instance = r.process.memory_in_mb;
    u.previous_instance_count = before ? before->instances : r.process.instances;
    u.previous_memory_in_mb_per_instance = before ? before->memory_in_mb : r.process.memory_in_mb;
    u.space_guid = r.app.space_guid;
    u.space_name = r.space_name;
    u.organization_guid = r.organization_guid;
    if (r.droplet) {
      auto bps = json::parse(r.droplet->buildpacks_json);
      if (bps && bps->IsArray() && bps->Size() > 0 && (*bps)[0].IsObject() &&
          (*bps)[0].HasMember("buildpack_name") && (*bps)[0]["buildpack_name"].IsString()) {
        u.buildpack_name = (*bps)[0]["buildpack_name"].GetString();
      }
    }
    events.push_back(std::move(u));
  }
  if (auto st = co_await api.events.record_usage(std::move(events)); !st) {
    api.log.error("usage-event-failed", st.error().message, {{"app_guid", app_guid}});
  }
}

void add_event_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/audit_events", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.events.list(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& e : page->resources) write_audit(w, api.urls, e);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kAuditList, "/v3/audit_events", std::move(write));
  });
  r.get("/v3/audit_events/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          ListQuery q;
          q.filters["guids"] = std::vector<std::string>{std::string(ctx.params.get("guid"))};
          auto page = co_await api.events.list(std::get<Caller>(who).viewer(), q);
          if (!page) co_return store_error(api, page.error());
          if (page->resources.empty()) co_return error_response(not_found("Event"));
          json::Writer w;
          write_audit(w, api.urls, page->resources.front());
          co_return respond(http::StatusCode::ok, w);
        });

  // Usage events are the platform's billing record: admins (and read-only admins) only.
  r.get("/v3/app_usage_events",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto q = parse_list_query(ctx.query(), kUsageList);
          if (!q) co_return error_response(bad_query(q.error().message));
          // Usage events are the platform's billing record: others see an empty list.
          if (!std::get<Caller>(who).viewer().sees_everything()) {
            json::Writer w;
            w.start_object();
            write_pagination(w, *q, 0, api.urls.api + "/v3/app_usage_events");
            w.key("resources").start_array().end_array().end_object();
            co_return respond(http::StatusCode::ok, w);
          }
          std::optional<std::string> after;
          if (auto* a = q->filter("after_guid"); a && !a->empty()) after = a->front();
          q->filters.erase("after_guid");
          auto page = co_await api.events.list_usage(*q, after);
          if (!page) co_return store_error(api, page.error());
          json::Writer w;
          w.start_object();
          write_pagination(w, *q, page->total, api.urls.api + "/v3/app_usage_events");
          w.key("resources").start_array();
          for (const auto& u : page->resources) write_usage(w, api.urls, u);
          w.end_array().end_object();
          co_return respond(http::StatusCode::ok, w);
        });
  r.get("/v3/app_usage_events/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          if (!std::get<Caller>(who).viewer().sees_everything()) {
            co_return error_response(not_found("Event"));
          }
          ListQuery q;
          q.filters["guids"] = std::vector<std::string>{std::string(ctx.params.get("guid"))};
          std::optional<std::string> after;
          auto page = co_await api.events.list_usage(q, after);
          if (!page) co_return store_error(api, page.error());
          if (page->resources.empty()) co_return error_response(not_found("Event"));
          json::Writer w;
          write_usage(w, api.urls, page->resources.front());
          co_return respond(http::StatusCode::ok, w);
        });
  r.post("/v3/app_usage_events/actions/destructively_purge_all_and_reseed",
         [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
           auto who = co_await authenticate(api, ctx);
           if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
           if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
           if (auto st = co_await api.events.purge_and_reseed_usage(); !st) {
             co_return store_error(api, st.error());
           }
           co_return http::make_response(http::StatusCode::ok, "{}", "application/json");
         });
}

}  // namespace cupola::cc
