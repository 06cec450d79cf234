#include "cloud_controller/src/handlers/api_context.h"

#include <algorithm>

namespace cupola::cc {
namespace asio = boost::asio;

asio::awaitable<std::variant<Caller, http::Response>> authenticate(ApiContext& api,
                                                                   http::RequestContext& ctx) {
  std::string header(ctx.request[http::bhttp::field::authorization]);
  auto caller = co_await api.auth.authenticate(std::move(header));
  if (caller) co_return std::move(*caller);
  if (caller.error().code == make_error_code(Errc::NotFound)) {
    co_return error_response(not_authenticated());
  }
  if (caller.error().code == make_error_code(Errc::Unavailable)) {
    co_return error_response(unavailable(caller.error().message));
  }
  co_return error_response(invalid_auth_token());
}

asio::awaitable<http::Response> answer_list(ApiContext& api, http::RequestContext& ctx,
                                            const ListSpec& spec, std::string path,
                                            ListWriter write) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto q = parse_list_query(ctx.query(), spec);
  if (!q) co_return error_response(bad_query(q.error().message));
  json::Writer w;
  w.start_object();
  auto total = co_await write(std::get<Caller>(who), *q, w);
  if (!total) co_return store_error(api, total.error());
  write_pagination(w, *q, *total, api.urls.api + path);
  w.end_object();
  co_return respond(http::StatusCode::ok, w);
}

asio::awaitable<Result<bool>> may_in_space(ApiContext& api, const Caller& caller,
                                           std::string space_guid, std::vector<std::string> roles) {
  if (caller.admin) co_return true;
  auto held = co_await api.db.space_roles_of(caller.user_guid, space_guid);
  if (!held) co_return std::move(held).error();
  for (const auto& r : *held) {
    if (std::find(roles.begin(), roles.end(), r) != roles.end()) co_return true;
  }
  co_return false;
}

asio::awaitable<std::variant<AppAccess, http::Response>> app_access(
    ApiContext& api, http::RequestContext& ctx, std::vector<std::string> roles) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  Caller caller = std::get<Caller>(std::move(who));
  auto app = co_await api.apps.app(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!app) co_return store_error(api, app.error());
  if (!*app) co_return error_response(not_found("App"));
  if (!roles.empty()) {
    auto allowed = co_await may_in_space(api, caller, (*app)->space_guid, roles);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
  }
  co_return AppAccess{std::move(caller), std::move(**app)};
}

http::Response store_error(ApiContext& api, const Error& error) {
  if (error.code == make_error_code(Errc::Unavailable) ||
      error.code == make_error_code(Errc::Timeout)) {
    return error_response(unavailable("The database is unavailable; try again shortly."));
  }
  api.log.error("store-failed", error.describe());
  return error_response(server_error());
}

std::variant<json::Document, http::Response> json_object_body(const http::RequestContext& ctx) {
  auto doc = json::parse(ctx.request.body());
  if (!doc) {
    return error_response(
        message_parse("Request invalid due to parse error: invalid request body"));
  }
  if (!doc->IsObject()) {
    return error_response(unprocessable("The request body must be a JSON object"));
  }
  return std::move(*doc);
}

std::optional<CcError> unknown_fields(const json::Value& body,
                                      std::initializer_list<std::string_view> allowed) {
  std::string unknown;
  for (const auto& m : body.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    unknown += (unknown.empty() ? "'" : ", '") + std::string(name) + "'";
  }
  if (!unknown.empty()) return unprocessable("Unknown field(s): " + unknown);
  if (auto rel = body.FindMember("relationships");
      rel != body.MemberEnd() && !rel->value.IsObject()) {
    return unprocessable("Relationships 'relationships' is not an object");
  }
  return std::nullopt;
}

http::Response respond(http::StatusCode status, const json::Writer& w) {
  return http::json_response(status, std::string(w.view()));
}

http::Response accepted_job(const ApiContext& api, const Job& job) {
  json::Writer w;
  write_job(w, api.urls, job);
  auto res = respond(http::StatusCode::accepted, w);
  res.set(http::bhttp::field::location, api.urls.api + "/v3/jobs/" + job.guid);
  return res;
}

void write_metadata(json::Writer& w) {
  w.key("metadata").start_object();
  w.key("labels").start_object().end_object();
  w.key("annotations").start_object().end_object();
  w.end_object();
}

namespace {
void link(json::Writer& w, std::string_view name, const std::string& href) {
  w.key(name).start_object().field("href", href).end_object();
}
void to_one(json::Writer& w, std::string_view name, const std::string& guid) {
  w.key(name).start_object().key("data");
  if (guid.empty()) {
    w.value(nullptr);
  } else {
    w.start_object().field("guid", guid).end_object();
  }
  w.end_object();
}
}  // namespace

void write_organization(json::Writer& w, const Urls& urls, const Organization& o) {
  std::string self = urls.api + "/v3/organizations/" + o.guid;
  w.start_object();
  w.field("guid", o.guid).field("created_at", o.created_at).field("updated_at", o.updated_at);
  w.field("name", o.name).field("suspended", o.suspended);
  w.key("relationships").start_object();
  to_one(w, "quota", o.quota_guid);
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "domains", self + "/domains");
  link(w, "default_domain", self + "/domains/default");
  w.end_object();
  w.end_object();
}

void write_space(json::Writer& w, const Urls& urls, const Space& s) {
  std::string self = urls.api + "/v3/spaces/" + s.guid;
  w.start_object();
  w.field("guid", s.guid).field("created_at", s.created_at).field("updated_at", s.updated_at);
  w.field("name", s.name);
  w.key("relationships").start_object();
  to_one(w, "organization", s.organization_guid);
  to_one(w, "quota", s.quota_guid);
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "organization", urls.api + "/v3/organizations/" + s.organization_guid);
  link(w, "features", self + "/features");
  link(w, "apply_manifest", self + "/actions/apply_manifest");
  w.end_object();
  w.end_object();
}

void write_role(json::Writer& w, const Urls& urls, const Role& r) {
  w.start_object();
  w.field("guid", r.guid).field("created_at", r.created_at).field("updated_at", r.updated_at);
  w.field("type", r.type);
  w.key("relationships").start_object();
  to_one(w, "user", r.user_guid);
  to_one(w, "organization", r.organization_guid);
  to_one(w, "space", r.space_guid);
  w.end_object();
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/roles/" + r.guid);
  link(w, "user", urls.api + "/v3/users/" + r.user_guid);
  if (!r.organization_guid.empty()) {
    link(w, "organization", urls.api + "/v3/organizations/" + r.organization_guid);
  }
  if (!r.space_guid.empty()) link(w, "space", urls.api + "/v3/spaces/" + r.space_guid);
  w.end_object();
  w.end_object();
}

void write_user(json::Writer& w, const Urls& urls, const UserIdentity& u) {
  w.start_object();
  w.field("guid", u.guid);
  if (u.username.empty()) {
    w.key("username").value(nullptr).key("origin").value(nullptr);
  } else {
    w.field("username", u.username).field("origin", u.origin);
  }
  w.field("presentation_name", u.username.empty() ? u.guid : u.username);
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/users/" + u.guid);
  w.end_object();
  w.end_object();
}

void write_job(json::Writer& w, const Urls& urls, const Job& j) {
  w.start_object();
  w.field("guid", j.guid).field("created_at", j.created_at).field("updated_at", j.updated_at);
  w.field("operation", j.operation).field("state", j.state);
  w.key("errors").raw(j.errors_json);
  w.key("warnings").raw(j.warnings_json);
  w.key("links").start_object();
  link(w, "self", urls.api + "/v3/jobs/" + j.guid);
  w.end_object();
  w.end_object();
}

void write_app(json::Writer& w, const Urls& urls, const App& a) {
  std::string self = urls.api + "/v3/apps/" + a.guid;
  w.start_object();
  w.field("guid", a.guid).field("created_at", a.created_at).field("updated_at", a.updated_at);
  w.field("name", a.name).field("state", a.state);
  w.key("lifecycle").raw(a.lifecycle_json);
  w.key("relationships").start_object();
  to_one(w, "space", a.space_guid);
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "space", urls.api + "/v3/spaces/" + a.space_guid);
  link(w, "processes", self + "/processes");
  link(w, "environment_variables", self + "/environment_variables");
  w.end_object();
  w.end_object();
}

void write_process(json::Writer& w, const Urls& urls, const Process& p) {
  std::string self = urls.api + "/v3/processes/" + p.guid;
  w.start_object();
  w.field("guid", p.guid).field("created_at", p.created_at).field("updated_at", p.updated_at);
  w.field("type", p.type);
  w.key("command");
  if (p.command) {
    w.value(*p.command);
  } else {
    w.value(nullptr);
  }
  w.field("instances", p.instances)
      .field("memory_in_mb", p.memory_in_mb)
      .field("disk_in_mb", p.disk_in_mb)
      .field("log_rate_limit_in_bytes_per_second", p.log_rate_limit);
  w.key("health_check").start_object().field("type", p.health_check_type);
  w.key("data").start_object().key("timeout");
  if (p.health_check_timeout) {
    w.value(*p.health_check_timeout);
  } else {
    w.value(nullptr);
  }
  w.key("invocation_timeout").value(nullptr);
  if (p.health_check_type == "http") {
    w.field("endpoint", p.health_check_endpoint.value_or("/"));
  }
  w.end_object().end_object();
  w.key("relationships").start_object();
  to_one(w, "app", p.app_guid);
  w.key("revision").value(nullptr);
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  link(w, "self", self);
  link(w, "scale", urls.api + "/v3/apps/" + p.app_guid + "/processes/" + p.type + "/actions/scale");
  link(w, "app", urls.api + "/v3/apps/" + p.app_guid);
  link(w, "stats", self + "/stats");
  w.end_object();
  w.end_object();
}

asio::awaitable<Result<Job>> completed_job(ApiContext& api, std::string operation,
                                           std::string user_guid) {
  Job job;
  job.guid = api.guids.next();
  job.operation = std::move(operation);
  job.state = "COMPLETE";
  job.user_guid = std::move(user_guid);
  co_return co_await api.db.create_job(std::move(job));
}

}  // namespace cupola::cc
