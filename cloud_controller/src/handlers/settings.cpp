// Feature flags, environment variable groups, and an app's whole environment (cf env).

#include "cloud_controller/src/handlers/settings.h"

#include "cloud_controller/src/bridge/vcap_services.h"

#include <algorithm>
#include <cassert>
#include <cctype>

#include "cloud_controller/src/bridge/recipes.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kFlagList{{}, {"name"}, {}};
constexpr const char* kPrivateDataHidden = "[PRIVATE DATA HIDDEN]";

void write_flag(json::Writer& w, const Urls& urls, const FeatureFlag& f) {
  w.start_object().field("name", f.name).field("enabled", f.enabled);
  w.key("updated_at");
  if (f.updated_at) {
    w.value(*f.updated_at);
  } else {
    w.value(nullptr);
  }
  w.key("custom_error_message");
  if (f.custom_error_message) {
    w.value(*f.custom_error_message);
  } else {
    w.value(nullptr);
  }
  w.key("links").start_object().key("self").start_object();
  w.field("href", urls.api + "/v3/feature_flags/" + f.name);
  w.end_object().end_object().end_object();
}

http::Response group_response(const ApiContext& api, const EnvironmentGroup& g) {
  json::Writer w;
  w.start_object().field("updated_at", g.updated_at).field("name", g.name);
  w.key("var").raw(g.var_json);
  w.key("links").start_object().key("self").start_object();
  w.field("href", api.urls.api + "/v3/environment_variable_groups/" + g.name);
  w.end_object().end_object().end_object();
  return respond(http::StatusCode::ok, w);
}

// A PATCH body as an object; no body counts as an empty one, as Cloud Foundry reads it.
std::variant<json::Document, http::Response> patch_body(const http::RequestContext& ctx) {
  if (!ctx.request.body().empty()) return json_object_body(ctx);
  json::Document doc;
  doc.SetObject();
  return doc;
}

// Whether `s` starts with `upper_prefix`, ignoring the case of ASCII letters.
bool starts_with_nocase(std::string_view s, std::string_view upper_prefix) {
  if (s.size() < upper_prefix.size()) return false;
  for (std::size_t i = 0; i < upper_prefix.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(s[i])) != upper_prefix[i]) return false;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Cloud Foundry's "Unknown field(s): 'a', 'b'" for members outside `allowed`, or "".
std::string unknown_fields(const json::Value& body,
                           std::initializer_list<std::string_view> allowed) {
  std::string names;
  for (const auto& m : body.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    names += (names.empty() ? "'" : ", '") + std::string(name) + "'";
  }
  return names.empty() ? "" : "Unknown field(s): " + names;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : ", ") + p;
  return out;
}

// The change a feature flag PATCH asks for, or its problems in Cloud Foundry's words.
std::variant<FeatureFlagChange, CcError> flag_change(const json::Value& body) {
  std::vector<std::string> problems;
  if (auto extra = unknown_fields(body, {"enabled", "custom_error_message", "metadata"});
      !extra.empty()) {
    problems.push_back(extra);
  }
  FeatureFlagChange change;
  if (auto e = body.FindMember("enabled"); e != body.MemberEnd()) {
    if (e->value.IsBool()) {
      change.enabled = e->value.GetBool();
    } else {
      problems.emplace_back("Enabled must be a boolean");
    }
  }
  if (auto m = body.FindMember("custom_error_message"); m != body.MemberEnd()) {
    if (m->value.IsNull()) {
      change.custom_error_message = std::optional<std::string>();
    } else if (!m->value.IsString()) {
      problems.emplace_back("Custom error message must be a string");
    } else {
      std::string text(m->value.GetString(), m->value.GetStringLength());
      std::size_t length = utf8_length(text);
      if (length < 1) {
        problems.emplace_back("Custom error message is too short (minimum is 1 character)");
      } else if (length > 250) {
        problems.emplace_back("Custom error message is too long (maximum is 250 characters)");
      } else {
        change.custom_error_message = std::move(text);
      }
    }
  }
  if (!problems.empty()) return unprocessable(joined(problems));
  return change;
}

// The variables an environment variable group PATCH sets (strings) and removes (nulls), as a
// JSON object, or its problems in Cloud Foundry's words.
std::variant<std::string, CcError> group_changes(const json::Value& body) {
  if (body.ObjectEmpty()) return std::string("{}");
  std::vector<std::string> problems;
  if (auto extra = unknown_fields(body, {"var"}); !extra.empty()) problems.push_back(extra);
  auto var = body.FindMember("var");
  if (var == body.MemberEnd() || !var->value.IsObject()) {
    problems.emplace_back("Var must be an object");
    return unprocessable(joined(problems));
  }
  json::Writer w;
  w.start_object();
  for (const auto& m : var->value.GetObject()) {
    std::string name(m.name.GetString(), m.name.GetStringLength());
    if (name.empty()) {
      problems.emplace_back("Var key must be a minimum length of 1");
    } else if (starts_with_nocase(name, "VCAP_")) {
      problems.emplace_back("Var cannot start with VCAP_");
    } else if (starts_with_nocase(name, "VMC")) {
      problems.emplace_back("Var cannot start with VMC_");
    } else if (name.size() == 4 && starts_with_nocase(name, "PORT")) {
      problems.emplace_back("Var cannot set PORT");
    } else if (!m.value.IsString() && !m.value.IsNull()) {
      problems.push_back("Non-string value in environment variable for key '" + name +
                         "', value '" + json::to_string(m.value) + "'");
    } else {
      w.key(name).value(m.value);
    }
  }
  w.end_object();
  if (!problems.empty()) return unprocessable(joined(problems));
  return w.str();
}

asio::awaitable<http::Response> show_flag(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto flag = co_await api.settings.feature_flag(std::string(ctx.params.get("name")));
  if (!flag) co_return store_error(api, flag.error());
  if (!*flag) co_return error_response(not_found("Feature flag"));
  json::Writer w;
  write_flag(w, api.urls, **flag);
  co_return respond(http::StatusCode::ok, w);
}

asio::awaitable<http::Response> update_flag(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  std::string name(ctx.params.get("name"));
  if (!feature_flag_default(name)) co_return error_response(not_found("Feature flag"));
  if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
  auto body = patch_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  auto change = flag_change(std::get<json::Document>(body));
  if (auto* e = std::get_if<CcError>(&change)) co_return error_response(*e);
  auto saved = co_await api.settings.update_feature_flag(name, std::get<FeatureFlagChange>(change));
  if (!saved) co_return store_error(api, saved.error());
  json::Writer w;
  write_flag(w, api.urls, *saved);
  co_return respond(http::StatusCode::ok, w);
}

asio::awaitable<http::Response> show_group(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto group = co_await api.settings.environment_group(std::string(ctx.params.get("name")));
  if (!group) co_return store_error(api, group.error());
  if (!*group) co_return error_response(not_found("Environment variable group"));
  co_return group_response(api, **group);
}

// Cloud Foundry checks the body before the caller, and the caller before the group.
asio::awaitable<http::Response> update_group(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  auto body = patch_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  auto changes = group_changes(std::get<json::Document>(body));
  if (auto* e = std::get_if<CcError>(&changes)) co_return error_response(*e);
  if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
  std::string name(ctx.params.get("name"));
  auto group = co_await api.settings.update_environment_group(name, std::get<std::string>(changes));
  if (!group) co_return store_error(api, group.error());
  if (!*group) co_return error_response(not_found("Environment variable group"));
  co_return group_response(api, **group);
}

struct EnvParts {
  std::string staging;
  std::string running;
  std::string vcap_application;
};

// The groups and VCAP_APPLICATION for the app's web process and its routes.
asio::awaitable<Result<EnvParts>> env_parts(ApiContext& api, App app) {
  EnvParts parts;
  auto staging = co_await environment_group(api, "staging");
  if (!staging) co_return std::move(staging).error();
  parts.staging = std::move(*staging);
  auto running = co_await environment_group(api, "running");
  if (!running) co_return std::move(running).error();
  parts.running = std::move(*running);
  Viewer everyone{"", false, true};
  ListQuery q;
  q.filters["app_guids"] = std::vector<std::string>{app.guid};
  q.filters["types"] = std::vector<std::string>{"web"};
  auto processes = co_await api.apps.list_processes(everyone, std::move(q));
  if (!processes) co_return std::move(processes).error();
  Process web;
  web.app_guid = app.guid;
  if (!processes->resources.empty()) web = processes->resources.front();
  std::vector<std::string> apps{app.guid};
  auto urls = co_await api.routes.process_urls(std::move(apps));
  if (!urls) co_return std::move(urls).error();
  std::vector<std::string> uris;
  if (auto it = urls->find(app.guid + "/" + web.type); it != urls->end()) uris = it->second;
  auto space = co_await api.db.space(everyone, app.space_guid);
  if (!space) co_return std::move(space).error();
  if (!*space) co_return make_error(Errc::NotFound, "the app's space is gone");
  auto org = co_await api.db.organization(everyone, (*space)->organization_guid);
  if (!org) co_return std::move(org).error();
  if (!*org) co_return make_error(Errc::NotFound, "the app's organization is gone");
  AppPlace place{(*space)->name, (*org)->guid, (*org)->name};
  parts.vcap_application = vcap_application(app, web, place, uris, api.urls.api);
  co_return parts;
}

// What cf env shows. Cloud Foundry's order: env_var_visibility (no one is exempt), the app,
// the caller's roles (supporters see no secrets), then space_developer_env_var_visibility
// (admins and read-only admins are exempt).
asio::awaitable<http::Response> app_env(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  if (auto refusal = co_await refuse_unless_enabled(api, "env_var_visibility")) {
    co_return std::move(*refusal);
  }
  auto app = co_await api.apps.app(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!app) co_return store_error(api, app.error());
  if (!*app) co_return error_response(not_found("App"));
  bool secrets = caller.reads_secrets_globally();
  if (!secrets) {
    auto roles = co_await api.db.space_roles_of(caller.user_guid, (*app)->space_guid);
    if (!roles) co_return store_error(api, roles.error());
    auto holds = [&](std::string_view r) {
      return std::find(roles->begin(), roles->end(), r) != roles->end();
    };
    if (!holds("space_developer") && !holds("space_supporter")) {
      co_return error_response(not_authorized());
    }
    secrets = holds("space_developer");
    if (auto refusal = co_await refuse_unless_enabled(api, "space_developer_env_var_visibility")) {
      co_return std::move(*refusal);
    }
  }
  auto parts = co_await env_parts(api, **app);
  if (!parts) co_return store_error(api, parts.error());
  json::Writer w;
  w.start_object().key("environment_variables").raw((*app)->environment_json);
  w.key("staging_env_json").raw(parts->staging);
  w.key("running_env_json").raw(parts->running);
  w.key("system_env_json").start_object();
  if (secrets) {
    std::vector<std::string> apps{(*app)->guid};
    auto bound = co_await api.services.bound_services(apps);
    if (!bound) co_return store_error(api, bound.error());
    std::vector<BoundService> none;
    auto mine = bound->find((*app)->guid);
    w.key("VCAP_SERVICES")
        .raw(vcap_services(mine == bound->end() ? none : mine->second, api.secrets));
  } else {
    w.field("redacted_message", kPrivateDataHidden);
  }
  w.end_object();
  w.key("application_env_json").start_object();
  w.key("VCAP_APPLICATION").raw(parts->vcap_application);
  w.end_object().end_object();
  co_return respond(http::StatusCode::ok, w);
}

}  // namespace

CcError feature_disabled(std::string_view name, const std::optional<std::string>& custom_message) {
  return {http::StatusCode::forbidden, 330002, "CF-FeatureDisabled",
          "Feature Disabled: " + (custom_message ? *custom_message : std::string(name))};
}

asio::awaitable<Result<bool>> feature_enabled(ApiContext& api, std::string name) {
  auto flag = co_await api.settings.feature_flag(name);
  if (!flag) co_return std::move(flag).error();
  if (!*flag) co_return make_error(Errc::InvalidArgument, "no feature flag named " + name);
  co_return (*flag)->enabled;
}

asio::awaitable<std::optional<http::Response>> refuse_unless_enabled(ApiContext& api,
                                                                     std::string name) {
  auto flag = co_await api.settings.feature_flag(name);
  if (!flag) co_return store_error(api, flag.error());
  assert(*flag && "refuse_unless_enabled: not a feature flag");
  if (!*flag) co_return error_response(server_error());
  if ((*flag)->enabled) co_return std::nullopt;
  co_return error_response(feature_disabled(name, (*flag)->custom_error_message));
}

asio::awaitable<Result<std::string>> environment_group(ApiContext& api, std::string name) {
  auto group = co_await api.settings.environment_group(name);
  if (!group) co_return std::move(group).error();
  if (!*group) co_return make_error(Errc::NotFound, "no environment variable group named " + name);
  co_return std::move((*group)->var_json);
}

void add_settings_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/feature_flags", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto flags = co_await api.settings.feature_flags();
      if (!flags) co_return std::move(flags).error();
      if (q.descending) std::reverse(flags->begin(), flags->end());
      auto total = static_cast<std::int64_t>(flags->size());
      w.key("resources").start_array();
      for (std::int64_t i = q.offset(); i < total && i < q.offset() + q.per_page; ++i) {
        write_flag(w, api.urls, (*flags)[static_cast<std::size_t>(i)]);
      }
      w.end_array();
      co_return total;
    };
    return answer_list(api, ctx, kFlagList, "/v3/feature_flags", std::move(write));
  });
  r.get("/v3/feature_flags/:name",
        [&api](http::RequestContext& ctx) { return show_flag(api, ctx); });
  r.patch("/v3/feature_flags/:name",
          [&api](http::RequestContext& ctx) { return update_flag(api, ctx); });
  r.get("/v3/environment_variable_groups/:name",
        [&api](http::RequestContext& ctx) { return show_group(api, ctx); });
  r.patch("/v3/environment_variable_groups/:name",
          [&api](http::RequestContext& ctx) { return update_group(api, ctx); });
  r.get("/v3/apps/:guid/env", [&api](http::RequestContext& ctx) { return app_env(api, ctx); });
}

}  // namespace cupola::cc
