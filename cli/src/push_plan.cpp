// The flags of `cupola push` over a manifest: their checks in cf's words, how they override
// the manifest's keys, the YAML sent to apply_manifest, and the plan of what to upload.
#include <algorithm>
#include <set>

#include "cli/src/manifest.h"
#include "cli/src/manifest_detail.h"

namespace cupola::cli {

namespace fs = std::filesystem;
using namespace manifest_detail;

Status validate_push_flags(const PushFlags& f) {
  // Values first, as cf checks them while reading the flags; then the combinations.
  if (!f.instances.empty() && whole(f.instances).value_or(-1) < 0) {
    return usage("invalid argument for flag '-i' (expected int > 0)");
  }
  if (!f.timeout.empty() && !whole(f.timeout)) {
    return usage("invalid argument for flag '-t, --app-start-timeout' (expected int)");
  }
  if (!f.timeout.empty() && *whole(f.timeout) < 1) {
    return usage("Value must be greater than or equal to 1.");
  }
  auto type = lower(f.health_check_type);
  if (!type.empty() && type != "port" && type != "process" && type != "http") {
    return usage("HEALTH_CHECK_TYPE must be \"port\", \"process\", or \"http\"");
  }
  if ((!f.memory.empty() && !is_size(f.memory, true)) ||
      (!f.disk.empty() && !is_size(f.disk, true))) {
    return usage(
        "Byte quantity must be an integer with a unit of measurement like M, MB, G, or GB");
  }
  ManifestVars scratch;
  for (const auto& v : f.vars) {
    if (auto s = add_var(scratch, v); !s) return s;
  }
  bool docker = !f.docker_image.empty();
  if (!f.docker_username.empty() && !docker) {
    return usage("'--docker-image, -o' and '--docker-username' must be used together.");
  }
  if (docker && !f.buildpacks.empty()) return combination("--buildpack, -b, --docker-image, -o");
  if (docker && !f.path.empty()) return combination("--docker-image, -o, --path, -p");
  if (docker && !f.stack.empty()) return combination("--stack, -s, --docker-image, -o");
  if (f.no_manifest && !f.manifest.empty()) return combination("--no-manifest, --manifest, -f");
  if (f.no_manifest && !f.vars_files.empty()) return combination("--no-manifest, --vars-file");
  if (f.no_manifest && !f.vars.empty()) return combination("--no-manifest, --vars");
  if (type == "http" && f.endpoint.empty()) {
    return usage("'--endpoint' and '--health-check-type=http, -u=http' must be used together.");
  }
  if (f.no_start && f.no_wait) return combination("--no-start, --no-wait");
  if (f.no_route && f.random_route) return combination("--no-route, --random-route");
  for (const auto& b : f.buildpacks) {
    if ((b == "default" || b == "null") && f.buildpacks.size() > 1) {
      return fail("Multiple buildpacks flags cannot have null/default option.");
    }
  }
  if (docker) return fail("Docker images are not supported: push the app's files instead.");
  return {};
}

Result<Manifest> apply_push_flags(const Manifest& base, const PushFlags& f, const fs::path& cwd) {
  Manifest m = base;
  auto& apps = m.applications;
  bool nameless = std::any_of(apps.begin(), apps.end(), [](auto& a) { return a.name.empty(); });
  if (apps.size() > 1 && nameless) return fail("Found an application with no name specified.");
  auto named =
      std::find_if(apps.begin(), apps.end(), [&](auto& a) { return a.name == f.app_name; });
  if (!f.app_name.empty() && named != apps.end()) {
    apps.erase(std::next(named), apps.end());
    apps.erase(apps.begin(), named);
  } else if (!f.app_name.empty() && apps.size() == 1) {
    apps[0].name = f.app_name;
  } else if (!f.app_name.empty()) {
    return fail("Could not find app named '" + f.app_name + "' in manifest");
  } else if (nameless) {
    return usage(
        "The push command requires an app name. The app name can be supplied as an argument or "
        "with a manifest.yml file.");
  }
  bool app_flags = !(f.instances + f.start_command + f.health_check_type + f.endpoint + f.timeout +
                     f.memory + f.disk + f.docker_image + f.stack + f.path)
                        .empty() ||
                   f.no_route || f.random_route || f.task || !f.buildpacks.empty();
  if (apps.size() > 1 && app_flags) {
    return usage(
        "Command line flags (except -f and --no-start) cannot be applied when pushing multiple "
        "apps from a manifest file.");
  }
  if (apps.size() == 1) {
    auto& app = apps[0];
    // Process-level flags go to the `processes` web entry when there is one, as in cf.
    YAML::Node level = app.fields;
    for (YAML::Node p : seq(app.fields, "processes")) {
      if (text_at(p, "type") == "web") level.reset(p);
    }
    if (!f.instances.empty()) level["instances"] = *whole(f.instances);
    if (f.start_command == "default" || f.start_command == "null") {
      level["command"] = YAML::Node(YAML::NodeType::Null);
    } else if (!f.start_command.empty()) {
      level["command"] = f.start_command;
    }
    if (auto type = lower(f.health_check_type); !type.empty()) {
      level["health-check-type"] = type;
      if (type != "http") level.remove("health-check-http-endpoint");
    }
    if (!f.endpoint.empty()) {
      level["health-check-http-endpoint"] = f.endpoint;
      auto type = text_at(level, "health-check-type").value_or("");
      if (!type.empty() && type != "http") {
        return usage(
            "The flag option --endpoint cannot be used with the manifest property "
            "health-check-type set to " +
            type);
      }
    }
    if (!f.timeout.empty()) level["timeout"] = *whole(f.timeout);
    if (!f.memory.empty()) level["memory"] = f.memory;
    if (!f.disk.empty()) level["disk-quota"] = f.disk;
    if (f.no_route || f.task) app.fields["no-route"] = true;
    if (f.random_route) app.fields["random-route"] = true;
    if (!f.stack.empty()) app.fields["stack"] = f.stack;
    if (!f.buildpacks.empty()) {
      YAML::Node list(YAML::NodeType::Sequence);
      for (const auto& b : f.buildpacks) {
        if (b != "default" && b != "null") list.push_back(b);
      }
      app.fields["buildpacks"] = list;
      app.fields.remove("buildpack");  // the flag replaces both spellings
    }
    if (!f.path.empty()) app.path = (cwd / f.path).lexically_normal();
  }
  for (auto& app : apps) {
    if (!app.no_route() && !app.random_route()) app.fields["default-route"] = true;
  }
  return m;
}

std::string manifest_yaml(const Manifest& manifest) {
  YAML::Node doc(YAML::NodeType::Map);
  doc["applications"] = YAML::Node(YAML::NodeType::Sequence);
  for (const auto& app : manifest.applications) {
    YAML::Node entry(YAML::NodeType::Map);
    entry.force_insert("name", tagged(app.name, "!"));
    for (const auto& kv : app.fields) entry.force_insert(kv.first, kv.second);
    doc["applications"].push_back(entry);
  }
  YAML::Emitter out;
  emit(out, doc);
  return std::string(out.c_str()) + "\n";
}

Result<PushPlan> plan_push(const PushFlags& flags, const fs::path& cwd) {
  // cf checks the files that flags name while reading the flags, before anything else.
  std::vector<std::string> named = flags.vars_files;
  named.insert(named.begin(), {flags.path, flags.manifest});
  for (const auto& given : named) {
    std::error_code ec;
    if (!given.empty() && !fs::exists(cwd / given, ec)) {
      return usage("The specified path '" + given + "' does not exist.");
    }
  }
  if (auto s = validate_push_flags(flags); !s) return s.error();

  Manifest manifest;
  manifest.applications.emplace_back().name = flags.app_name;
  auto located = flags.no_manifest ? std::optional<fs::path>()
                                   : locate_manifest((cwd / flags.manifest).lexically_normal());
  if (!located) return std::move(located).error();
  if (!flags.manifest.empty() && !*located) {
    return usage("The specified directory '" + flags.manifest +
                 "' does not contain a file named 'manifest.yml'.");
  }
  if (*located) {
    ManifestVars vars;
    for (const auto& v : flags.vars_files) {
      auto text = read_limited(cwd / v, "vars file");
      if (!text) return std::move(text).error();
      if (auto s = add_vars_file(vars, *text, v); !s) return s.error();
    }
    for (const auto& v : flags.vars) (void)add_var(vars, v);
    auto read = read_manifest(**located, vars);
    if (!read) return std::move(read).error();
    manifest = std::move(*read);
  }
  auto applied = apply_push_flags(manifest, flags, cwd);
  if (!applied) return std::move(applied).error();

  PushPlan plan{applied->file, manifest_yaml(*applied), {}};
  for (const auto& app : applied->applications) {
    std::error_code ec;
    auto path = app.path.empty() ? cwd : fs::canonical(app.path, ec);
    if (ec) {
      return fail(
          "File not found locally, make sure the file exists at given path " + app.path.string(),
          Errc::NotFound);
    }
    plan.apps.push_back(PushApp{app.name, path, !flags.no_start, flags.task, flags.no_wait});
  }
  return plan;
}

}  // namespace cupola::cli
