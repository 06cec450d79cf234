// apply_manifest: what `cf push` sends first. Each app in the manifest is found by name in
// the space (made when missing), its lifecycle, environment and processes set, and its routes
// made and mapped. Problems with the manifest itself are answered at once (422); problems
// applying it fail the job, whose first error the CLI prints.

#include <random>

#include "cloud_controller/src/handlers/events.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/quotas.h"
#include "cloud_controller/src/handlers/route_json.h"
#include "cloud_controller/src/manifest/manifest.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const std::vector<std::string> kDevelopers{"space_developer"};

Viewer everything() {
  Viewer v;
  v.admin = true;
  return v;
}

// A hostname label from an app name: lower case, anything but letters and digits as '-'.
std::string host_for(const std::string& name) {
  std::string h;
  for (char c : name) {
    h += std::isalnum(static_cast<unsigned char>(c))
             ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
             : '-';
  }
  if (h.size() > 63) h.resize(63);
  return h;
}

std::string random_host(const std::string& name) {
  static const char* kAdjectives[] = {"brave", "calm", "eager",  "fancy", "gentle", "happy",
                                      "jolly", "kind", "lively", "proud", "quiet",  "silly"};
  static const char* kNouns[] = {"badger", "bison", "crane", "dingo", "egret", "ferret",
                                 "gecko",  "heron", "ibex",  "koala", "lemur", "otter"};
  std::random_device rd;
  std::mt19937 gen(rd());
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(gen);
  };
  std::string suffix = std::string(kAdjectives[pick(12)]) + "-" + kNouns[pick(12)] + "-" +
                       std::to_string(10 + pick(90));
  std::string host = host_for(name);
  if (host.size() + 1 + suffix.size() > 63) host.resize(63 - 1 - suffix.size());
  return host + "-" + suffix;
}

struct Applier {
  ApiContext& api;
  const Caller& caller;
  Space space;
  std::vector<Domain> domains;  // usable in the space's org, longest name first

  // The app's lifecycle with the manifest's buildpacks and stack.
  static std::string lifecycle(const std::string& current, const AppManifest& m) {
    auto doc = json::parse(current);
    std::vector<std::string> buildpacks;
    std::string stack = "cupolafs";
    if (doc && doc->IsObject() && doc->HasMember("data") && (*doc)["data"].IsObject()) {
      const auto& data = (*doc)["data"];
      if (data.HasMember("stack") && data["stack"].IsString()) stack = data["stack"].GetString();
      if (data.HasMember("buildpacks") && data["buildpacks"].IsArray()) {
        for (const auto& b : data["buildpacks"].GetArray()) {
          if (b.IsString()) buildpacks.push_back(b.GetString());
        }
      }
    }
    if (m.buildpacks) buildpacks = *m.buildpacks;
    if (m.stack) stack = *m.stack;
    json::Writer w;
    w.start_object().field("type", "buildpack").key("data").start_object();
    w.key("buildpacks").start_array();
    for (const auto& b : buildpacks) w.value(b);
    w.end_array().field("stack", stack).end_object().end_object();
    return w.str();
  }

  static std::string merged_env(const std::string& current, const AppManifest& m) {
    auto doc = json::parse(current);
    json::Writer w;
    w.start_object();
    std::vector<std::string> overridden;
    for (const auto& [k, v] : m.env) overridden.push_back(k);
    if (doc && doc->IsObject()) {
      for (const auto& member : doc->GetObject()) {
        std::string key = member.name.GetString();
        if (std::find(overridden.begin(), overridden.end(), key) != overridden.end()) continue;
        w.key(key).value(member.value);
      }
    }
    for (const auto& [k, v] : m.env) w.field(k, v);
    w.end_object();
    return w.str();
  }

  static void apply(const ProcessManifest& pm, Process& p) {
    if (pm.instances) p.instances = *pm.instances;
    if (pm.memory_mb) p.memory_in_mb = *pm.memory_mb;
    if (pm.disk_mb) p.disk_in_mb = *pm.disk_mb;
    if (pm.command) {
      p.command = pm.command->empty() ? std::nullopt : std::optional<std::string>(*pm.command);
    }
    if (pm.health_check_type) {
      p.health_check_type = *pm.health_check_type;
      if (*pm.health_check_type != "http") p.health_check_endpoint.reset();
    }
    if (pm.health_check_endpoint) p.health_check_endpoint = *pm.health_check_endpoint;
    if (pm.timeout) p.health_check_timeout = *pm.timeout;
    if (pm.log_rate_limit) p.log_rate_limit = *pm.log_rate_limit;
  }

  // The error detail, or nothing when the app was applied.
  asio::awaitable<std::optional<std::string>> app(AppManifest m) {
    auto fail = [&](const std::string& what) -> std::optional<std::string> {
      return "For application '" + m.name + "': " + what;
    };
    ListQuery q;
    q.filters["names"] = {m.name};
    q.filters["space_guids"] = {space.guid};
    auto found = co_await api.apps.list_apps(everything(), q);
    if (!found) co_return fail("the database is unavailable; try again shortly");
    App app;
    if (found->resources.empty()) {
      App fresh;
      fresh.guid = api.guids.next();
      fresh.name = m.name;
      fresh.space_guid = space.guid;
      fresh.lifecycle_json = lifecycle("{}", m);
      fresh.environment_json = merged_env("{}", m);
      std::string web = api.guids.next();
      auto created = co_await api.apps.create_app(fresh, web);
      if (!created) co_return fail(created.error().message);
      app = *created;
    } else {
      app = found->resources.front();
      App changed = app;
      changed.lifecycle_json =
          (m.buildpacks || m.stack) ? lifecycle(app.lifecycle_json, m) : app.lifecycle_json;
      changed.environment_json = merged_env(app.environment_json, m);
      auto saved = co_await api.apps.update_app(changed);
      if (!saved) co_return fail(saved.error().message);
      app = *saved;
    }

    std::vector<ProcessManifest> processes{m.web};
    for (const auto& p : m.processes) processes.push_back(p);
    for (const auto& pm : processes) {
      if (pm.type == "web" && pm.empty()) continue;
      ListQuery pq;
      pq.filters["app_guids"] = {app.guid};
      pq.filters["types"] = {pm.type};
      auto existing = co_await api.apps.list_processes(everything(), pq);
      if (!existing) co_return fail("the database is unavailable; try again shortly");
      Process p;
      if (existing->resources.empty()) {
        Process fresh;
        fresh.guid = api.guids.next();
        fresh.app_guid = app.guid;
        fresh.type = pm.type;
        auto created = co_await api.apps.create_process(fresh);
        if (!created) co_return fail(created.error().message);
        p = *created;
      } else {
        p = existing->resources.front();
      }
      Process before = p;
      apply(pm, p);
      if (app.state == "STARTED" &&
          (p.memory_in_mb != before.memory_in_mb || p.disk_in_mb != before.disk_in_mb ||
           p.log_rate_limit != before.log_rate_limit)) {
        p.version = api.guids.next();
      }
      if (app.state == "STARTED") {
        std::string space_guid = space.guid;
        auto check = co_await check_process_quota(api, space_guid, p);
        if (const auto* refusal = std::get_if<CcError>(&check)) co_return fail(refusal->detail);
        if (const auto* e = std::get_if<Error>(&check)) co_return fail(e->message);
      }
      if (auto saved = co_await api.apps.update_process(p); !saved) {
        co_return fail(saved.error().message);
      }
    }

    if (auto e = co_await routes(app, m)) co_return fail(*e);
    for (const auto& name : m.services) {
      ListQuery sq;
      sq.filters["names"] = {name};
      sq.filters["space_guids"] = {space.guid};
      auto found_instances = co_await api.services.list_instances(everything(), sq);
      if (!found_instances) co_return fail("the database is unavailable; try again shortly");
      if (found_instances->resources.empty()) {
        co_return fail("Service instance '" + name + "' not found");
      }
      const ServiceInstance& instance = found_instances->resources.front();
      ServiceBinding b;
      b.guid = api.guids.next();
      b.app_guid = app.guid;
      b.service_instance_guid = instance.guid;
      b.credentials_sealed = instance.credentials_sealed;
      b.syslog_drain_url = instance.syslog_drain_url;
      auto bound = co_await api.services.create_binding(b);
      if (!bound && bound.error().code != make_error_code(Errc::Conflict)) {
        co_return fail(bound.error().message);
      }
    }
    {
      EventTarget target = app_target(app);
      co_await audit(api, caller, "audit.app.apply_manifest", target, space.guid);
    }
    if (app.state == "STARTED") {
      std::vector<std::string> apps{app.guid};
      if (auto st = co_await api.runtime.sync_apps(apps); !st) {
        api.log.error("manifest-sync-failed", st.error().message, {{"app_guid", app.guid}});
      }
    }
    co_return std::nullopt;
  }

  // Maps "host.domain[/path]" to the app's web process, making the route when missing.
  asio::awaitable<std::optional<std::string>> map(const App& app, std::string address) {
    std::string path;
    if (auto slash = address.find('/'); slash != std::string::npos) {
      path = address.substr(slash);
      address.resize(slash);
    }
    if (address.find(':') != std::string::npos) {
      co_return "The route '" + address + path + "' has a port; TCP routes are not supported.";
    }
    const Domain* domain = nullptr;
    std::string host;
    for (const auto& d : domains) {
      if (address == d.name) {
        domain = &d;
        break;
      }
      if (address.size() > d.name.size() + 1 && address.ends_with("." + d.name)) {
        domain = &d;
        host = address.substr(0, address.size() - d.name.size() - 1);
        break;
      }
    }
    if (domain == nullptr) {
      co_return "The route '" + address + path + "' did not match any existing domains.";
    }
    co_return co_await map_to(app, *domain, host, path);
  }

  asio::awaitable<std::optional<std::string>> map_to(const App& app, const Domain& domain,
                                                     std::string host, std::string path) {
    ListQuery q;
    q.filters["domain_guids"] = {domain.guid};
    q.filters["hosts"] = {host};
    q.filters["paths"] = {path};
    auto existing = co_await api.routes.list_routes(everything(), q);
    if (!existing) co_return std::string("the database is unavailable; try again shortly");
    Route route;
    if (!existing->resources.empty()) {
      route = existing->resources.front();
      if (route.space_guid != space.guid) {
        co_return "The route '" + route.url() + "' is already in use by another space.";
      }
    } else {
      route.guid = api.guids.next();
      route.host = host;
      route.path = path;
      route.domain_guid = domain.guid;
      route.domain_name = domain.name;
      route.space_guid = space.guid;
      if (host.empty() && !domain.organization_guid) {
        co_return "Missing host. Routes in shared domains must have a host defined.";
      }
      std::string space_guid = space.guid;
      auto check = co_await check_route_quota(api, space_guid);
      if (const auto* refusal = std::get_if<CcError>(&check)) co_return refusal->detail;
      if (const auto* e = std::get_if<Error>(&check)) co_return e->message;
      auto created = co_await api.routes.create_route(route);
      if (!created) co_return created.error().message;
      route = *created;
    }
    Destination d;
    d.guid = api.guids.next();
    d.app_guid = app.guid;
    std::vector<Destination> list{d};
    std::string route_guid = route.guid;
    auto set = co_await api.routes.set_destinations(route_guid, list, false);
    if (!set) co_return set.error().message;
    co_return std::nullopt;
  }

  asio::awaitable<std::optional<std::string>> routes(const App& app, const AppManifest& m) {
    if (m.no_route) {
      std::string guid = app.guid;
      auto n = co_await api.routes.unmap_app(guid);
      if (!n) co_return n.error().message;
      co_return std::nullopt;
    }
    if (m.routes) {
      for (const auto& r : *m.routes) {
        if (auto e = co_await map(app, r)) co_return e;
      }
      co_return std::nullopt;
    }
    if (!m.random_route && !m.default_route) co_return std::nullopt;
    ListQuery q;
    q.filters["app_guids"] = {app.guid};
    auto mapped = co_await api.routes.list_routes(everything(), q);
    if (!mapped) co_return std::string("the database is unavailable; try again shortly");
    if (mapped->total > 0) co_return std::nullopt;
    auto def = co_await default_domain(api, space.organization_guid);
    if (!def) co_return std::string("the database is unavailable; try again shortly");
    if (!*def) co_return std::string("No default domain exists for the organization.");
    std::string host = m.random_route ? random_host(m.name) : host_for(m.name);
    std::string empty_path;
    co_return co_await map_to(app, **def, host, empty_path);
  }
};

asio::awaitable<http::Response> apply_manifest(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto space = co_await api.db.space(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!space) co_return store_error(api, space.error());
  if (!*space) co_return error_response(not_found("Space"));
  auto allowed = co_await may_in_space(api, caller, (*space)->guid, kDevelopers);
  if (!allowed) co_return store_error(api, allowed.error());
  if (!*allowed) co_return error_response(not_authorized());

  auto parsed = parse_manifest(ctx.request.body());
  if (auto* problem = std::get_if<ManifestProblem>(&parsed)) {
    co_return error_response(problem->syntax ? message_parse(problem->message)
                                             : unprocessable(problem->message));
  }
  Applier applier{api, caller, **space, {}};
  ListQuery dq;
  dq.per_page = kMaxPerPage;
  std::optional<std::string> org = (*space)->organization_guid;
  auto domains = co_await api.routes.list_domains(everything(), dq, org);
  if (!domains) co_return store_error(api, domains.error());
  applier.domains = std::move(domains->resources);
  std::sort(applier.domains.begin(), applier.domains.end(),
            [](const Domain& a, const Domain& b) { return a.name.size() > b.name.size(); });

  Job job;
  job.guid = api.guids.next();
  job.operation = "app.apply_manifest";
  job.state = "COMPLETE";
  job.user_guid = caller.user_guid;
  for (auto& m : std::get<std::vector<AppManifest>>(parsed)) {
    auto failed = co_await applier.app(std::move(m));
    if (!failed) continue;
    json::Writer errors;
    errors.start_array().start_object().field("code", 10008);
    errors.field("title", "CF-UnprocessableEntity").field("detail", *failed);
    errors.end_object().end_array();
    job.state = "FAILED";
    job.errors_json = errors.str();
    break;
  }
  auto saved = co_await api.db.create_job(job);
  if (!saved) co_return store_error(api, saved.error());
  auto res = http::make_response(http::StatusCode::accepted, "", "");
  res.set(http::bhttp::field::location, api.urls.api + "/v3/jobs/" + saved->guid);
  co_return res;
}

}  // namespace

void add_manifest_routes(http::Router& r, ApiContext& api) {
  r.post("/v3/spaces/:guid/actions/apply_manifest",
         [&api](http::RequestContext& ctx) { return apply_manifest(api, ctx); });
}

}  // namespace cupola::cc
