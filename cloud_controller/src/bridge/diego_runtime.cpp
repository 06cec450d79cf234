#include "cloud_controller/src/bridge/diego_runtime.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <set>

#include "bbs/api/models/errors.h"
#include "cloud_controller/src/bridge/recipes.h"
#include "cloud_controller/src/bridge/vcap_services.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

// Staging links outlive the longest staging by this much.
constexpr std::chrono::minutes kLinkMargin{30};

bool should_run(const ProcessRun& r) {
  return r.app.state == "STARTED" && r.droplet && r.droplet->state == "STAGED" &&
         !r.process.version.empty();
}

std::string state_of(bbs::ActualLrpState s) {
  switch (s) {
    case bbs::ActualLrpState::Unclaimed:
    case bbs::ActualLrpState::Claimed:
      return "STARTING";
    case bbs::ActualLrpState::Running:
      return "RUNNING";
    case bbs::ActualLrpState::Crashed:
      return "CRASHED";
  }
  return "DOWN";
}

}  // namespace

DiegoRuntime::DiegoRuntime(bbs::BbsClient& bbs, DropletsDb& db, RoutesDb& routes,
                           SettingsDb& settings, BuildpacksDb& buildpacks, ServicesDb& services,
                           const SecretBox& secrets, const UrlSigner& signer, const Clock& clock,
                           DiegoOptions options, log::Logger log)
    : bbs_(bbs),
      db_(db),
      routes_(routes),
      settings_(settings),
      buildpacks_(buildpacks),
      services_(services),
      secrets_(secrets),
      signer_(signer),
      clock_(clock),
      options_(std::move(options)),
      log_(std::move(log)) {}

asio::awaitable<Status> DiegoRuntime::stage(Build build) {
  std::vector<std::string> app{build.app_guid};
  auto runs = co_await db_.runs(app);
  if (!runs) co_return std::move(runs).error();
  if (runs->empty()) co_return make_error(Errc::NotFound, "App not found");
  const ProcessRun& any = runs->front();

  auto ttl = std::chrono::duration_cast<std::chrono::seconds>(options_.staging_timeout) +
             std::chrono::duration_cast<std::chrono::seconds>(kLinkMargin);
  auto now = clock_.now();
  StagingInputs in;
  in.build = build;
  in.app = any.app;
  in.place = AppPlace{any.space_name, any.organization_guid, any.organization_name};
  in.package_url =
      signer_.sign("GET", "/internal/v4/packages/" + build.package_guid + "/download", ttl, now);
  in.droplet_upload_url = signer_.sign(
      "POST", "/internal/v4/droplets/" + build.droplet_guid.value_or("") + "/upload", ttl, now);
  in.callback_url =
      signer_.sign("POST", "/internal/v3/staging/" + build.guid + "/completed", ttl, now);
  in.cache_download_url =
      signer_.sign("GET", "/internal/v4/build_cache/" + build.app_guid + "/download", ttl, now);
  in.cache_upload_url =
      signer_.sign("POST", "/internal/v4/build_cache/" + build.app_guid + "/upload", ttl, now);
  in.cf_api = options_.cf_api;
  in.stack = options_.stack;
  in.timeout_ms = options_.staging_timeout.count();
  std::string staging = "staging";
  in.staging_group_json = co_await group(staging);
  auto bound = co_await services_.bound_services(app);
  if (!bound) co_return std::move(bound).error();
  if (auto it = bound->find(build.app_guid); it != bound->end()) {
    in.vcap_services_json = vcap_services(it->second, secrets_);
  }
  std::vector<std::string> chosen;
  if (auto life = json::parse(build.lifecycle_json); life && life->IsObject()) {
    auto data = life->FindMember("data");
    if (data != life->MemberEnd() && data->value.IsObject()) {
      auto bps = data->value.FindMember("buildpacks");
      if (bps != data->value.MemberEnd() && bps->value.IsArray()) {
        for (const auto& b : bps->value.GetArray()) {
          if (b.IsString() && b.GetStringLength() > 0) chosen.push_back(b.GetString());
        }
      }
    }
  }
  // The app's own choice, in its order, or every enabled buildpack to detect with.
  std::string stack = options_.stack;
  auto available = co_await buildpacks_.for_staging(stack);
  if (!available) co_return std::move(available).error();
  auto offer = [&](const Buildpack& b) {
    StagingBuildpack s;
    s.name = b.name;
    s.url = signer_.sign("GET", "/internal/v4/buildpacks/" + b.guid + "/download", ttl, now);
    s.sha256 = b.sha256.value_or("");
    in.buildpacks.push_back(std::move(s));
  };
  if (chosen.empty()) {
    for (const auto& b : *available) offer(b);
  } else {
    in.skip_detect = true;
    for (const auto& name : chosen) {
      auto it = std::find_if(available->begin(), available->end(),
                             [&](const Buildpack& b) { return b.name == name; });
      if (it == available->end()) {
        co_return make_error(
            Errc::InvalidArgument,
            "Buildpack '" + name + "' must be an existing admin buildpack or a valid git URI");
      }
      offer(*it);
    }
  }
  auto task = staging_task(in);
  std::string guid = build.guid;
  std::string domain = kStagingDomain;
  auto desired = co_await bbs_.desire_task(guid, domain, std::move(task));
  if (!desired) co_return std::move(desired).error();
  log_.info("staging-requested", {{"build_guid", build.guid}, {"app_guid", build.app_guid}});
  co_return Status{};
}

asio::awaitable<std::string> DiegoRuntime::group(std::string name) {
  auto g = co_await settings_.environment_group(name);
  if (!g || !*g) {
    log_.error("environment-group-unreadable", g ? "missing" : g.error().message,
               {{"group", name}});
    co_return std::string("{}");
  }
  co_return (*g)->var_json;
}

asio::awaitable<Status> DiegoRuntime::add_urls(std::vector<ProcessRun>& runs) {
  std::vector<std::string> apps;
  for (const auto& r : runs) apps.push_back(r.app.guid);
  if (apps.empty()) co_return Status{};
  auto urls = co_await routes_.process_urls(apps);
  if (!urls) co_return std::move(urls).error();
  for (auto& r : runs) {
    auto it = urls->find(r.app.guid + "/" + r.process.type);
    if (it != urls->end()) r.uris = it->second;
  }
  auto bound = co_await services_.bound_services(apps);
  if (!bound) co_return std::move(bound).error();
  for (auto& r : runs) {
    auto it = bound->find(r.app.guid);
    if (it != bound->end()) r.vcap_services_json = vcap_services(it->second, secrets_);
  }
  co_return Status{};
}

asio::awaitable<Status> DiegoRuntime::sync_apps(std::vector<std::string> app_guids) {
  if (app_guids.empty()) co_return Status{};
  auto runs = co_await db_.runs(app_guids);
  if (!runs) co_return std::move(runs).error();
  if (auto st = co_await add_urls(*runs); !st) co_return st;
  std::set<std::string> processes;
  for (const auto& r : *runs) processes.insert(r.process.guid);
  bbs::DesiredLrpQuery q;
  q.domain = kAppsDomain;
  auto all = co_await bbs_.desired_lrps(q);
  if (!all) co_return std::move(all).error();
  std::vector<bbs::DesiredLrp> existing;
  for (auto& d : *all) {
    if (processes.count(process_guid_of_lrp(d.process_guid))) existing.push_back(std::move(d));
  }
  co_return co_await converge(std::move(*runs), std::move(existing), false);
}

asio::awaitable<Status> DiegoRuntime::sync_all(std::chrono::seconds freshness) {
  auto runs = co_await db_.runs();
  if (!runs) co_return std::move(runs).error();
  if (auto st = co_await add_urls(*runs); !st) co_return st;
  bbs::DesiredLrpQuery q;
  q.domain = kAppsDomain;
  auto all = co_await bbs_.desired_lrps(q);
  if (!all) co_return std::move(all).error();
  auto converged = co_await converge(std::move(*runs), std::move(*all), true);
  if (!converged) co_return converged;
  std::string domain = kAppsDomain;
  co_return co_await bbs_.upsert_domain(domain, static_cast<std::uint32_t>(freshness.count()));
}

asio::awaitable<Status> DiegoRuntime::converge(std::vector<ProcessRun> runs,
                                               std::vector<bbs::DesiredLrp> existing, bool whole) {
  std::map<std::string, bbs::DesiredLrp> have;
  for (auto& d : existing) {
    std::string key = d.process_guid;
    have.emplace(std::move(key), std::move(d));
  }
  std::set<std::string> wanted;
  int desired = 0, updated = 0, removed = 0;
  std::string running = "running";
  std::string running_group = co_await group(running);
  std::optional<Error> first_error;
  auto note = [&](const Status& st, const char* what, const std::string& guid) {
    if (st) return;
    log_.error(what, st.error().message, {{"process_guid", guid}});
    if (!first_error) first_error = st.error();
  };
  for (const auto& run : runs) {
    if (!should_run(run)) continue;
    std::string guid = lrp_process_guid(run.process);
    wanted.insert(guid);
    auto it = have.find(guid);
    if (it == have.end()) {
      LrpInputs in;
      in.droplet_url =
          signer_.sign("GET", "/internal/v4/droplets/" + run.droplet->guid + "/download",
                       std::chrono::seconds(0), clock_.now());
      in.cf_api = options_.cf_api;
      in.stack = options_.stack;
      in.uris = run.uris;
      in.running_group_json = running_group;
      auto lrp = desired_lrp(run, in);
      auto st = co_await bbs_.desire_lrp(std::move(lrp));
      if (!st && bbs::error_type_of(st.error()) == bbs::ErrorType::ResourceExists) continue;
      note(st, "desire-failed", guid);
      if (st) ++desired;
      continue;
    }
    std::string routes = lrp_routes(run);
    if (it->second.instances != run.process.instances || it->second.routes != routes) {
      bbs::DesiredLrpUpdate update;
      update.instances = static_cast<std::int32_t>(run.process.instances);
      update.routes = routes;
      update.annotation = run.process.updated_at;
      auto st = co_await bbs_.update_desired_lrp(guid, std::move(update));
      note(st, "update-failed", guid);
      if (st) ++updated;
    }
  }
  for (const auto& [guid, lrp] : have) {
    // A partial pass was given only its processes' LRPs; the bulk pass, the whole domain.
    if (wanted.count(guid)) continue;
    std::string g = guid;
    auto st = co_await bbs_.remove_desired_lrp(g);
    if (!st && bbs::error_type_of(st.error()) == bbs::ErrorType::ResourceNotFound) continue;
    note(st, "remove-failed", guid);
    if (st) ++removed;
  }
  if (desired + updated + removed > 0) {
    log_.info(whole ? "bulk-synced" : "synced",
              {{"desired", desired}, {"updated", updated}, {"removed", removed}});
  }
  if (first_error) co_return *first_error;
  co_return Status{};
}

asio::awaitable<Result<std::vector<InstanceReport>>> DiegoRuntime::instances(Process process) {
  bbs::ActualLrpQuery q;
  q.process_guid = lrp_process_guid(process);
  auto actual = co_await bbs_.actual_lrps(q);
  if (!actual) co_return make_error(Errc::Unavailable, actual.error().message);
  std::map<std::int64_t, const bbs::ActualLrp*> by_index;
  for (const auto& a : *actual) {
    auto& slot = by_index[a.key.index];
    // The instance itself over an evacuating copy; a running copy over a starting one.
    if (slot == nullptr ||
        (slot->presence != bbs::Presence::Ordinary && a.presence == bbs::Presence::Ordinary &&
         a.state == bbs::ActualLrpState::Running)) {
      slot = &a;
    }
  }
  std::vector<InstanceReport> out;
  for (std::int64_t i = 0; i < process.instances; ++i) {
    InstanceReport r;
    r.index = i;
    auto it = by_index.find(i);
    if (it == by_index.end()) {
      r.state = "DOWN";
      out.push_back(std::move(r));
      continue;
    }
    const bbs::ActualLrp& a = *it->second;
    r.state = state_of(a.state);
    r.since_ns = a.since;
    r.host = a.net_info.address;
    for (const auto& p : a.net_info.ports) r.ports.push_back(p.host_port);
    if (a.state == bbs::ActualLrpState::Crashed) r.details = a.crash_reason;
    if (a.state == bbs::ActualLrpState::Unclaimed) r.details = a.placement_error;
    out.push_back(std::move(r));
  }
  co_return out;
}

BulkSync::BulkSync(asio::any_io_executor ex, DiegoRuntime& runtime,
                   std::chrono::milliseconds interval, log::Logger log)
    : runtime_(runtime), interval_(interval), log_(std::move(log)), timer_(std::move(ex)) {}

asio::awaitable<void> BulkSync::run() {
  auto freshness = std::chrono::duration_cast<std::chrono::seconds>(interval_ * 4);
  while (!stopped_) {
    auto st = co_await runtime_.sync_all(freshness);
    if (!st) log_.error("bulk-sync-failed", st.error().message);
    if (stopped_) break;
    timer_.expires_after(interval_);
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void BulkSync::stop() {
  stopped_ = true;
  timer_.cancel();
}

}  // namespace cupola::cc
