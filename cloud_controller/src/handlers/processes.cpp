#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/quotas.h"
#include "cloud_controller/src/handlers/settings.h"
#include "common/core/time.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kProcessList{
    {"guids", "types", "app_guids", "space_guids"}, {"created_at", "updated_at"}, {}};
const std::vector<std::string> kAnyone;  // who sees the app
const std::vector<std::string> kScalers{"space_developer", "space_supporter"};

http::Response process_list(const ApiContext& api, const ListQuery& q, const Page<Process>& page,
                            const std::string& path) {
  json::Writer w;
  w.start_object();
  write_pagination(w, q, page.total, api.urls.api + path);
  w.key("resources").start_array();
  for (const auto& p : page.resources) write_process(w, api.urls, p);
  w.end_array().end_object();
  return respond(http::StatusCode::ok, w);
}

// A non-negative integer member, when present; the error names it as Cloud Foundry does.
std::optional<CcError> read_count(const json::Value& body, const char* key, const char* shown,
                                  std::int64_t min, std::int64_t& out) {
  if (!body.HasMember(key)) return std::nullopt;
  const auto& v = body[key];
  if (!v.IsInt64()) return unprocessable(std::string(shown) + " must be an integer");
  if (v.GetInt64() < min) {
    return unprocessable(std::string(shown) + " must be greater than or equal to " +
                         std::to_string(min));
  }
  out = v.GetInt64();
  return std::nullopt;
}

}  // namespace

// One entry of a process's stats as `cf app` reads it.
void write_instance(json::Writer& w, const Process& p, const InstanceReport& r,
                    std::int64_t now_ns) {
  w.start_object().field("type", p.type).field("index", r.index).field("state", r.state);
  w.field("host", r.host);
  std::int64_t uptime =
      r.state == "RUNNING" && r.since_ns > 0 ? (now_ns - r.since_ns) / 1'000'000'000 : 0;
  w.field("uptime", uptime < 0 ? 0 : uptime);
  w.field("mem_quota", p.memory_in_mb * 1024 * 1024);
  w.field("disk_quota", p.disk_in_mb * 1024 * 1024);
  w.field("log_rate_limit", -1).field("fds_quota", 16384);
  w.key("isolation_segment").value(nullptr);
  w.key("details");
  if (r.details.empty()) {
    w.value(nullptr);
  } else {
    w.value(r.details);
  }
  w.key("instance_ports").start_array();
  for (auto port : r.ports) {
    w.start_object().field("external", port).field("internal", port);
    w.field("external_tls_proxy_port", 0).field("internal_tls_proxy_port", 0).end_object();
  }
  w.end_array();
  w.key("usage").start_object();
  if (r.state == "RUNNING") {
    const InstanceUsage u = r.usage.value_or(InstanceUsage{});
    std::string taken;
    if (u.time_ns > 0) {
      taken = format_rfc3339(TimePoint(
          std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(u.time_ns))));
    }
    w.field("time", taken);
    w.field("cpu", u.cpu / 100.0).field("mem", u.memory).field("disk", u.disk);
    w.field("log_rate", 0);
  }
  w.end_object();
  w.end_object();
}

// A process's instances: DOWN for each while its app is stopped, else what the platform
// reports. 503 CF-StatsUnavailable when it cannot be asked.
asio::awaitable<http::Response> stats_of(ApiContext& api, const Caller& caller, Process p) {
  std::string app_guid = p.app_guid;
  auto app = co_await api.apps.app(caller.viewer(), app_guid);
  if (!app) co_return store_error(api, app.error());
  std::vector<InstanceReport> reports;
  if (*app && (*app)->state == "STARTED" && (*app)->droplet_guid) {
    auto reported = co_await api.runtime.instances(p);
    if (!reported) {
      CcError e = unavailable("Stats server temporarily unavailable.");
      e.code = 200002;
      e.title = "CF-StatsUnavailable";
      co_return error_response(e);
    }
    reports = std::move(*reported);
    std::string app_guid = p.app_guid;
    auto usage = co_await api.metrics.usage(app_guid);
    if (usage) {
      for (auto& r : reports) {
        if (auto it = usage->find(r.index); it != usage->end()) r.usage = it->second;
      }
    }
  } else {
    for (std::int64_t i = 0; i < p.instances; ++i) {
      InstanceReport r;
      r.index = i;
      r.state = "DOWN";
      reports.push_back(std::move(r));
    }
  }
  std::int64_t now = unix_nanos(api.clock.now());
  json::Writer w;
  w.start_object().key("resources").start_array();
  for (const auto& r : reports) write_instance(w, p, r, now);
  w.end_array().end_object();
  co_return respond(http::StatusCode::ok, w);
}

void add_process_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/processes/:guid/stats",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto p = co_await api.apps.process(std::get<Caller>(who).viewer(),
                                             std::string(ctx.params.get("guid")));
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Process"));
          co_return co_await stats_of(api, std::get<Caller>(who), **p);
        });

  // Sidecars are not supported: every process has none.
  r.get("/v3/processes/:guid/sidecars",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto p = co_await api.apps.process(std::get<Caller>(who).viewer(), guid);
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Process"));
          ListQuery q;
          json::Writer w;
          w.start_object();
          write_pagination(w, q, 0, api.urls.api + "/v3/processes/" + guid + "/sidecars");
          w.key("resources").start_array().end_array().end_object();
          co_return respond(http::StatusCode::ok, w);
        });

  r.get("/v3/processes", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.apps.list_processes(caller.viewer(), q);
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& p : page->resources) write_process(w, api.urls, p);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kProcessList, "/v3/processes", std::move(write));
  });

  // cf set-health-check, and a process's own command.
  r.patch(
      "/v3/processes/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
        auto who = co_await authenticate(api, ctx);
        if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
        const Caller& caller = std::get<Caller>(who);
        auto found =
            co_await api.apps.process(caller.viewer(), std::string(ctx.params.get("guid")));
        if (!found) co_return store_error(api, found.error());
        if (!*found) co_return error_response(not_found("Process"));
        Process p = **found;
        std::string app_guid = p.app_guid;
        auto app = co_await api.apps.app(caller.viewer(), app_guid);
        if (!app) co_return store_error(api, app.error());
        if (!*app) co_return error_response(not_found("Process"));
        std::string space = (*app)->space_guid;
        auto allowed = co_await may_in_space(api, caller, space, kScalers);
        if (!allowed) co_return store_error(api, allowed.error());
        if (!*allowed) co_return error_response(not_authorized());
        auto body = json_object_body(ctx);
        if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
        const auto& doc = std::get<json::Document>(body);
        if (auto c = doc.FindMember("command"); c != doc.MemberEnd()) {
          if (c->value.IsNull()) {
            p.command.reset();
          } else if (c->value.IsString() && c->value.GetStringLength() > 0 &&
                     c->value.GetStringLength() <= 4096) {
            p.command = std::string(c->value.GetString());
          } else {
            co_return error_response(
                unprocessable("Command must be between 1 and 4096 characters"));
          }
        }
        if (auto h = doc.FindMember("health_check"); h != doc.MemberEnd()) {
          if (!h->value.IsObject()) {
            co_return error_response(unprocessable("Health check must be an object"));
          }
          if (auto t = h->value.FindMember("type"); t != h->value.MemberEnd()) {
            std::string type = t->value.IsString() ? t->value.GetString() : "";
            if (type != "port" && type != "process" && type != "http") {
              co_return error_response(
                  unprocessable("Health check type must be one of 'port', 'process', 'http'"));
            }
            p.health_check_type = type;
            if (type != "http") p.health_check_endpoint.reset();
          }
          if (auto d = h->value.FindMember("data");
              d != h->value.MemberEnd() && d->value.IsObject()) {
            if (auto to = d->value.FindMember("timeout"); to != d->value.MemberEnd()) {
              if (to->value.IsNull()) {
                p.health_check_timeout.reset();
              } else if (to->value.IsInt64() && to->value.GetInt64() >= 1) {
                p.health_check_timeout = to->value.GetInt64();
              } else {
                co_return error_response(
                    unprocessable("Timeout must be greater than or equal to 1"));
              }
            }
            if (auto e = d->value.FindMember("endpoint"); e != d->value.MemberEnd()) {
              if (!e->value.IsString() || e->value.GetStringLength() == 0 ||
                  e->value.GetString()[0] != '/') {
                co_return error_response(unprocessable("Endpoint must be a valid URI path"));
              }
              if (p.health_check_type != "http") {
                co_return error_response(
                    unprocessable("Health check type must be \"http\" to set a health check HTTP "
                                  "endpoint"));
              }
              p.health_check_endpoint = std::string(e->value.GetString());
            }
          }
        }
        auto saved = co_await api.apps.update_process(p);
        if (!saved) co_return store_error(api, saved.error());
        json::Writer w;
        write_process(w, api.urls, *saved);
        co_return respond(http::StatusCode::ok, w);
      });

  r.get("/v3/processes/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          auto p = co_await api.apps.process(std::get<Caller>(who).viewer(),
                                             std::string(ctx.params.get("guid")));
          if (!p) co_return store_error(api, p.error());
          if (!*p) co_return error_response(not_found("Process"));
          json::Writer w;
          write_process(w, api.urls, **p);
          co_return respond(http::StatusCode::ok, w);
        });

  r.get("/v3/apps/:guid/processes",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await app_access(api, ctx, kAnyone);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const Caller& caller = std::get<AppAccess>(access).caller;
          std::string guid = std::get<AppAccess>(access).app.guid;
          auto q = parse_list_query(ctx.query(), kProcessList);
          if (!q) co_return error_response(bad_query(q.error().message));
          q->filters["app_guids"] = std::vector<std::string>{guid};
          auto page = co_await api.apps.list_processes(caller.viewer(), *q);
          if (!page) co_return store_error(api, page.error());
          co_return process_list(api, *q, *page, "/v3/apps/" + guid + "/processes");
        });

  r.post("/v3/apps/:guid/processes/:type/actions/scale",
         [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
           auto access = co_await app_access(api, ctx, kScalers);
           if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
           const Caller& caller = std::get<AppAccess>(access).caller;
           std::string guid = std::get<AppAccess>(access).app.guid;
           if (!caller.admin) {
             if (auto off = co_await refuse_unless_enabled(api, "app_scaling")) {
               co_return std::move(*off);
             }
           }
           ListQuery q;
           q.filters["app_guids"] = std::vector<std::string>{guid};
           q.filters["types"] = std::vector<std::string>{std::string(ctx.params.get("type"))};
           auto found = co_await api.apps.list_processes(caller.viewer(), q);
           if (!found) co_return store_error(api, found.error());
           if (found->resources.empty()) co_return error_response(not_found("Process"));
           auto body = json_object_body(ctx);
           if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
           const auto& doc = std::get<json::Document>(body);
           Process p = found->resources.front();
           if (auto e = read_count(doc, "instances", "Instances", 0, p.instances)) {
             co_return error_response(*e);
           }
           if (auto e = read_count(doc, "memory_in_mb", "Memory in mb", 1, p.memory_in_mb)) {
             co_return error_response(*e);
           }
           if (auto e = read_count(doc, "disk_in_mb", "Disk in mb", 1, p.disk_in_mb)) {
             co_return error_response(*e);
           }
           if (auto e = read_count(doc, "log_rate_limit_in_bytes_per_second",
                                   "Log rate limit in bytes per second", -1, p.log_rate_limit)) {
             co_return error_response(*e);
           }
           // New memory or disk takes new instances; a new count, more or fewer of them.
           const App& app = std::get<AppAccess>(access).app;
           const Process& before = found->resources.front();
           if (app.state == "STARTED" &&
               (p.memory_in_mb != before.memory_in_mb || p.disk_in_mb != before.disk_in_mb ||
                p.log_rate_limit != before.log_rate_limit)) {
             p.version = api.guids.next();
           }
           if (app.state == "STARTED") {
             std::string space = app.space_guid;
             auto check = co_await check_process_quota(api, space, p);
             if (auto refusal = quota_refusal(api, check)) co_return std::move(*refusal);
           }
           auto saved = co_await api.apps.update_process(p);
           if (!saved) co_return store_error(api, saved.error());
           {
             EventTarget target = app_target(app);
             std::string data = R"({"process_type": ")" + p.type +
                                R"(", "request": {"instances": )" + std::to_string(p.instances) +
                                R"(, "memory_in_mb": )" + std::to_string(p.memory_in_mb) +
                                R"(, "disk_in_mb": )" + std::to_string(p.disk_in_mb) + "}}";
             co_await audit(api, caller, "audit.app.process.scale", target, app.space_guid, data);
           }
           if (app.state == "STARTED") {
             std::string started = "STARTED";
             std::optional<Process> was = before;
             co_await record_usage(api, guid, started, started, was);
           }
           if (app.state == "STARTED") {
             std::vector<std::string> apps{guid};
             if (auto synced = co_await api.runtime.sync_apps(apps); !synced) {
               api.log.error("sync-failed", synced.error().message, {{"app_guid", guid}});
             }
           }
           json::Writer w;
           write_process(w, api.urls, *saved);
           co_return respond(http::StatusCode::accepted, w);
         });
}

}  // namespace cupola::cc
