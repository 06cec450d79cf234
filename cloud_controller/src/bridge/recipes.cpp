#include "cloud_controller/src/bridge/recipes.h"

#include <algorithm>

#include "bbs/api/codec/action_codec.h"
#include "common/json/json.h"

namespace cupola::cc {

namespace {

constexpr std::size_t kGuidLength = 36;
constexpr std::int64_t kDefaultStartTimeoutSeconds = 60;
constexpr std::int32_t kMaxPids = 1024;
constexpr std::uint64_t kFileDescriptors = 16384;

std::string lifecycle(const char* binary) { return std::string(kLifecycleDir) + "/" + binary; }

// Cloud Foundry's CPU weight: proportional to memory between 128 MB and 8 GB.
std::uint32_t cpu_weight(std::int64_t memory_mb) {
  std::int64_t m = std::clamp<std::int64_t>(memory_mb, 128, 8192);
  return static_cast<std::uint32_t>(m * 100 / 8192);
}

// The start command: the process's own, else the droplet's for its type, else "" (the
// launcher then takes staging_info.yml's).
std::string start_command(const ProcessRun& run) {
  if (run.process.command && !run.process.command->empty()) return *run.process.command;
  if (!run.droplet) return {};
  auto types = json::parse(run.droplet->process_types_json);
  if (!types || !types->IsObject()) return {};
  auto it = types->FindMember(run.process.type.c_str());
  if (it == types->MemberEnd() || !it->value.IsString()) return {};
  return it->value.GetString();
}

// How the instance's health is checked: nothing for "process" (running is healthy),
// otherwise the healthcheck on the instance's port, over HTTP for "http".
std::string monitor(const Process& p) {
  if (p.health_check_type == "process" || p.health_check_type == "none") return {};
  std::string check = "exec " + lifecycle("cupola-healthcheck") + " -port=$PORT -timeout=1s";
  if (p.health_check_type == "http") {
    check += " -uri='" + p.health_check_endpoint.value_or("/") + "'";
  }
  bbs::RunAction run;
  run.path = "/bin/sh";
  run.args = {"-c", check};
  run.user = "vcap";
  run.log_source = "HEALTH";
  run.suppress_log_output = true;
  run.resource_limits.nofile = kFileDescriptors;
  return bbs::encode_action(bbs::Action{run});
}

}  // namespace

std::string lrp_process_guid(const Process& p) { return p.guid + "-" + p.version; }

std::string process_guid_of_lrp(const std::string& lrp) {
  if (lrp.size() <= kGuidLength + 1 || lrp[lrp.size() - kGuidLength - 1] != '-') return {};
  return lrp.substr(0, lrp.size() - kGuidLength - 1);
}

std::string vcap_application(const App& app, const Process& process, const AppPlace& place,
                             const std::vector<std::string>& uris, const std::string& cf_api) {
  json::Writer w;
  w.start_object();
  w.field("cf_api", cf_api);
  w.key("limits").start_object();
  w.field("fds", kFileDescriptors).field("mem", process.memory_in_mb);
  w.field("disk", process.disk_in_mb).end_object();
  w.field("application_name", app.name);
  w.key("application_uris").start_array();
  for (const auto& u : uris) w.value(u);
  w.end_array();
  w.field("name", app.name);
  w.field("space_name", place.space_name).field("space_id", app.space_guid);
  w.field("organization_id", place.organization_guid);
  w.field("organization_name", place.organization_name);
  w.key("uris").start_array();
  for (const auto& u : uris) w.value(u);
  w.end_array();
  w.key("users").value(nullptr);
  w.field("process_id", process.guid).field("process_type", process.type);
  w.field("application_id", app.guid);
  w.field("version", process.version).field("application_version", process.version);
  w.end_object();
  return w.str();
}

std::vector<bbs::EnvironmentVariable> app_environment(const App& app, const Process& process,
                                                      const AppPlace& place,
                                                      const std::vector<std::string>& uris,
                                                      const std::string& cf_api,
                                                      const std::string& group_json,
                                                      const std::string& vcap_services) {
  std::vector<bbs::EnvironmentVariable> env;
  static const std::vector<std::string> kPlatform{"VCAP_APPLICATION", "VCAP_SERVICES",
                                                  "MEMORY_LIMIT"};
  auto add = [&](const std::string& object_json) {
    auto vars = json::parse(object_json);
    if (!vars || !vars->IsObject()) return;
    for (const auto& m : vars->GetObject()) {
      std::string name = m.name.GetString();
      if (std::find(kPlatform.begin(), kPlatform.end(), name) != kPlatform.end()) continue;
      std::string value;
      if (m.value.IsString()) {
        value = m.value.GetString();
      } else {
        json::Writer v;
        v.value(m.value);
        value = v.str();
      }
      auto same =
          std::find_if(env.begin(), env.end(), [&](const auto& e) { return e.name == name; });
      if (same != env.end()) {
        same->value = std::move(value);
      } else {
        env.push_back({name, std::move(value)});
      }
    }
  };
  add(group_json);
  add(app.environment_json);
  env.push_back({"VCAP_APPLICATION", vcap_application(app, process, place, uris, cf_api)});
  env.push_back({"VCAP_SERVICES", vcap_services});
  env.push_back({"MEMORY_LIMIT", std::to_string(process.memory_in_mb) + "m"});
  return env;
}

std::string lrp_routes(const ProcessRun& run) {
  json::Writer routes;
  routes.start_object().key("cf-router").start_array();
  if (!run.uris.empty()) {
    routes.start_object().key("hostnames").start_array();
    for (const auto& u : run.uris) routes.value(u);
    routes.end_array().field("port", 8080).end_object();
  }
  routes.end_array().end_object();
  return routes.str();
}

bbs::DesiredLrp desired_lrp(const ProcessRun& run, const LrpInputs& in) {
  const Process& p = run.process;
  AppPlace place{run.space_name, run.organization_guid, run.organization_name};
  bbs::DesiredLrp lrp;
  lrp.process_guid = lrp_process_guid(p);
  lrp.domain = kAppsDomain;
  lrp.root_fs = "preloaded:" + in.stack;
  lrp.instances = static_cast<std::int32_t>(p.instances);
  lrp.memory_mb = static_cast<std::int32_t>(p.memory_in_mb);
  lrp.disk_mb = static_cast<std::int32_t>(p.disk_in_mb);
  lrp.max_pids = kMaxPids;
  lrp.cpu_weight = cpu_weight(p.memory_in_mb);
  lrp.env = app_environment(run.app, p, place, in.uris, in.cf_api, in.running_group_json,
                            run.vcap_services_json);

  bbs::DownloadAction droplet;
  droplet.artifact = "droplet";
  droplet.from = in.droplet_url;
  droplet.to = "/home/vcap";
  droplet.cache_key = "droplets-" + lrp.process_guid;
  droplet.user = "vcap";
  if (run.droplet && run.droplet->sha256) {
    droplet.checksum_algorithm = "sha256";
    droplet.checksum_value = *run.droplet->sha256;
  }
  lrp.setup = bbs::encode_action(bbs::Action{droplet});

  bbs::RunAction launch;
  launch.path = lifecycle("cupola-launcher");
  launch.args = {"app", start_command(run),
                 run.droplet ? run.droplet->execution_metadata : std::string()};
  launch.dir = "/home/vcap";
  launch.user = "vcap";
  launch.log_source = "APP/PROC/" + p.type;
  std::transform(launch.log_source.begin(), launch.log_source.end(), launch.log_source.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  launch.resource_limits.nofile = kFileDescriptors;
  lrp.action = bbs::encode_action(bbs::Action{launch});
  lrp.monitor = monitor(p);

  lrp.start_timeout_ms = p.health_check_timeout.value_or(kDefaultStartTimeoutSeconds) * 1000;
  lrp.ports = {8080};
  ProcessRun routed = run;
  routed.uris = in.uris;
  lrp.routes = lrp_routes(routed);
  lrp.log_guid = run.app.guid;
  lrp.log_source = "CELL";
  // Cloud Foundry's -1 is unlimited, as the BBS's 0 is; a limit of 0 lets a byte through.
  if (p.log_rate_limit >= 0)
    lrp.log_rate_limit_bytes_per_second = std::max<std::int64_t>(p.log_rate_limit, 1);
  lrp.metrics_guid = run.app.guid;
  lrp.annotation = p.updated_at;
  return lrp;
}

bbs::TaskDefinition staging_task(const StagingInputs& in) {
  bbs::TaskDefinition t;
  t.root_fs = "preloaded:" + in.stack;
  t.memory_mb = static_cast<std::int32_t>(in.build.staging_memory_in_mb);
  t.disk_mb = static_cast<std::int32_t>(in.build.staging_disk_in_mb);
  t.max_pids = kMaxPids;
  t.cpu_weight = cpu_weight(in.build.staging_memory_in_mb);
  t.log_guid = in.app.guid;
  t.log_source = "STG";
  t.metrics_guid = in.app.guid;
  t.result_file = "/tmp/result.json";
  t.completion_callback_url = in.callback_url;
  t.annotation = in.build.guid;

  Process staging;  // staging runs with the staging limits
  staging.guid = in.build.guid;
  staging.type = "staging";
  staging.memory_in_mb = in.build.staging_memory_in_mb;
  staging.disk_in_mb = in.build.staging_disk_in_mb;
  t.env = app_environment(in.app, staging, in.place, {}, in.cf_api, in.staging_group_json,
                          in.vcap_services_json);
  t.env.push_back({"CF_STACK", in.stack});

  bbs::DownloadAction package;
  package.artifact = "app package";
  package.from = in.package_url;
  package.to = "/tmp/app";
  package.user = "vcap";

  std::string order;
  std::vector<bbs::Action> downloads{bbs::Action{package}};
  for (const auto& b : in.buildpacks) {
    order += (order.empty() ? "" : ",") + b.name;
    bbs::DownloadAction fetch;
    fetch.artifact = b.name;
    fetch.from = b.url;
    fetch.to = "/tmp/buildpacks/" + b.name;
    fetch.cache_key = "buildpack-" + b.name + "-" + b.sha256;
    fetch.user = "vcap";
    if (!b.sha256.empty()) {
      fetch.checksum_algorithm = "sha256";
      fetch.checksum_value = b.sha256;
    }
    downloads.push_back(bbs::Action{fetch});
  }
  // The build cache of the last staging, when there is one (a missing one is no failure).
  if (!in.cache_download_url.empty()) {
    bbs::DownloadAction cache;
    cache.artifact = "build artifacts cache";
    cache.from = in.cache_download_url;
    cache.to = "/tmp/cache";
    cache.user = "vcap";
    bbs::TryAction maybe;
    maybe.action = bbs::Action{cache};
    downloads.push_back(bbs::Action{maybe});
  }
  bbs::RunAction build;
  build.path = lifecycle("cupola-builder");
  build.args = {"-buildDir=/tmp/app",
                "-outputDroplet=/tmp/droplet",
                "-outputMetadata=/tmp/result.json",
                "-buildArtifactsCacheDir=/tmp/cache",
                "-buildpacksDir=/tmp/buildpacks",
                "-buildpackOrder=" + order,
                std::string("-skipDetect=") + (in.skip_detect ? "true" : "false"),
                "-outputBuildArtifactsCache=/tmp/output-cache"};
  build.dir = "/tmp/app";
  build.user = "vcap";
  build.log_source = "STG";
  build.env = t.env;
  build.resource_limits.nofile = kFileDescriptors;

  bbs::UploadAction droplet;
  droplet.artifact = "droplet";
  droplet.from = "/tmp/droplet";
  droplet.to = in.droplet_upload_url;
  droplet.user = "vcap";

  bbs::ParallelAction fetches;
  fetches.actions = std::move(downloads);
  fetches.log_source = "STG";
  bbs::SerialAction steps;
  steps.actions = {bbs::Action{fetches}, bbs::Action{build}, bbs::Action{droplet}};
  if (!in.cache_upload_url.empty()) {
    bbs::UploadAction keep;
    keep.artifact = "build artifacts cache";
    keep.from = "/tmp/output-cache";
    keep.to = in.cache_upload_url;
    keep.user = "vcap";
    bbs::TryAction maybe;
    maybe.action = bbs::Action{keep};
    steps.actions.push_back(bbs::Action{maybe});
  }
  steps.log_source = "STG";
  bbs::TimeoutAction bounded;
  bounded.action = bbs::Action{steps};
  bounded.timeout_ms = in.timeout_ms;
  bounded.log_source = "STG";
  t.action = bbs::encode_action(bbs::Action{bounded});
  return t;
}

Result<StagingOutcome> staging_outcome(std::string_view callback_body) {
  auto doc = json::parse(callback_body);
  if (!doc || !doc->IsObject()) return make_error(Errc::InvalidArgument, "not a task callback");
  json::ObjectReader r(*doc);
  bool failed = false;
  std::string reason, result;
  r.required("failed", failed);
  r.optional("failure_reason", reason);
  r.optional("result", result);
  if (!r.ok()) return make_error(Errc::InvalidArgument, r.problems().front());

  StagingOutcome out;
  if (failed) {
    out.failed = true;
    if (reason.find("status 222") != std::string::npos) {
      out.error =
          "NoAppDetectedError - An app was not successfully detected by any available "
          "buildpack";
    } else if (reason.find("status 223") != std::string::npos) {
      out.error = "BuildpackCompileFailed - App staging failed in the buildpack compile phase";
    } else if (reason.find("status 224") != std::string::npos) {
      out.error = "BuildpackReleaseFailed - App staging failed in the buildpack release phase";
    } else if (reason.find("exceeded") != std::string::npos &&
               reason.find("timeout") != std::string::npos) {
      out.error = "StagingTimeExpired - Staging time expired: " + reason;
    } else if (reason.find("insufficient resources") != std::string::npos) {
      out.error = "InsufficientResources - Staging error: insufficient resources";
    } else if (reason.find("found no compatible cell") != std::string::npos) {
      out.error = "NoCompatibleCell - Found no compatible cell";
    } else {
      out.error = "StagingError - Staging error: " + (reason.empty() ? "staging failed" : reason);
    }
    return out;
  }
  auto meta = json::parse(result);
  if (!meta || !meta->IsObject()) {
    out.failed = true;
    out.error = "StagingError - Staging error: the builder left no result";
    return out;
  }
  if (auto it = meta->FindMember("process_types");
      it != meta->MemberEnd() && it->value.IsObject()) {
    json::Writer w;
    w.value(it->value);
    out.process_types_json = w.str();
  }
  if (auto it = meta->FindMember("execution_metadata");
      it != meta->MemberEnd() && it->value.IsString()) {
    out.execution_metadata = it->value.GetString();
  }
  // lifecycle_metadata.buildpacks [{key, name, version}] → the droplet's buildpacks.
  json::Writer bps;
  bps.start_array();
  if (auto lm = meta->FindMember("lifecycle_metadata");
      lm != meta->MemberEnd() && lm->value.IsObject()) {
    const auto& life = lm->value;
    std::string detect_output;
    if (auto d = life.FindMember("detected_buildpack");
        d != life.MemberEnd() && d->value.IsString()) {
      detect_output = d->value.GetString();
    }
    if (auto list = life.FindMember("buildpacks");
        list != life.MemberEnd() && list->value.IsArray()) {
      for (const auto& b : list->value.GetArray()) {
        if (!b.IsObject()) continue;
        auto text = [&](const char* k) -> std::string {
          auto m = b.FindMember(k);
          return m != b.MemberEnd() && m->value.IsString() ? m->value.GetString() : "";
        };
        bps.start_object().field("name", text("key"));
        bps.field("buildpack_name", text("name")).field("detect_output", detect_output);
        bps.field("version", text("version")).end_object();
      }
    }
  }
  bps.end_array();
  out.buildpacks_json = bps.str();
  return out;
}

}  // namespace cupola::cc
