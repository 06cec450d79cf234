#pragma once

// The client side of `cupola push`, following `cf push` (v7): find and read manifest.yml,
// fill in `((name))` variables from --var and --vars-file, check the fields the client relies
// on, apply the command-line flags, and produce the YAML sent to
// POST /v3/spaces/:guid/actions/apply_manifest plus the list of apps to upload and start.
//
// Everything here returns data; only locate_manifest, read_manifest and plan_push touch the
// file system. Errors are the texts the user sees, worded like the cf CLI's
// ("Incorrect Usage: ...", "For application 'web': memory must be a size like 256M or 1G").

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/core/result.h"

namespace cupola::cli {

// Manifests and vars files larger than this are refused before they are parsed.
inline constexpr std::size_t kMaxManifestBytes = 1024 * 1024;
// YAML values a manifest may expand to (aliases and variables included).
inline constexpr std::size_t kMaxManifestValues = 100000;

// Values for `((name))` placeholders, by name. `((name.key))` looks into a map value.
using ManifestVars = std::map<std::string, YAML::Node, std::less<>>;

// Adds one `--var name=value`. The value is read as YAML, so `--var n=3` is a number and
// `--var l=[a,b]` a list; anything else stays the text given. Replaces an earlier value.
Status add_var(ManifestVars& vars, std::string_view assignment);

// Adds every entry of a vars file (a YAML map) over `vars`; `shown` names the file in errors.
Status add_vars_file(ManifestVars& vars, std::string_view yaml, std::string_view shown);

// The keys a process takes, at app level (the web process) or in `processes:`.
struct ManifestProcess {
  std::string type = "web";
  std::optional<std::int64_t> instances;
  std::optional<std::string> memory;      // as written: "256M", "1G"
  std::optional<std::string> disk_quota;  // `disk-quota` (or the older `disk_quota`)
  std::optional<std::string> command;     // an empty string resets to the droplet's command
  std::optional<std::string> health_check_type;
  std::optional<std::string> health_check_http_endpoint;
  std::optional<std::int64_t> timeout;
};

// One entry of `applications:`. `fields` holds every key but name and path, as written
// (after interpolation); unknown keys pass through to the Cloud Controller, which checks
// them. Copies are deep; to point `fields` at another node use fields.reset(node), since
// assigning one YAML::Node to another rewrites the node shared by both.
// The accessors read `fields`; on a manifest that parse_manifest accepted they never fail.
struct ManifestApp {
  std::string name;
  std::filesystem::path path;  // local folder or zip to upload; empty when none was given
  YAML::Node fields{YAML::NodeType::Map};

  ManifestApp() = default;
  ManifestApp(const ManifestApp& o) : name(o.name), path(o.path), fields(YAML::Clone(o.fields)) {}
  ManifestApp(ManifestApp&& o) noexcept
      : name(std::move(o.name)), path(std::move(o.path)), fields(o.fields) {}
  ManifestApp& operator=(const ManifestApp& o) { return *this = ManifestApp(o); }
  ManifestApp& operator=(ManifestApp&& o) noexcept {
    name = std::move(o.name);
    path = std::move(o.path);
    fields.reset(o.fields);
    return *this;
  }

  ManifestProcess web() const;  // the app-level process keys
  std::optional<std::int64_t> instances() const { return web().instances; }
  std::optional<std::string> memory() const { return web().memory; }
  std::optional<std::string> disk_quota() const { return web().disk_quota; }
  std::optional<std::string> command() const { return web().command; }
  std::optional<std::string> health_check_type() const { return web().health_check_type; }
  std::optional<std::int64_t> timeout() const { return web().timeout; }
  // `buildpacks`, or the older single `buildpack`; empty: detect. nullopt: not given.
  std::optional<std::vector<std::string>> buildpacks() const;
  std::optional<std::string> stack() const;
  std::vector<std::string> routes() const;  // "host.domain[:port][/path]"
  bool no_route() const;
  bool random_route() const;
  bool default_route() const;
  std::vector<ManifestProcess> processes() const;
  std::vector<std::string> services() const;                     // instance names
  std::vector<std::pair<std::string, std::string>> env() const;  // values as text
};

struct Manifest {
  std::filesystem::path file;  // the file read; empty for a manifest made from flags alone
  std::vector<ManifestApp> applications;
};

// Parses manifest text: interpolates `vars` (every placeholder must have a value), then reads
// `applications`. A relative app `path` is resolved against the folder of `file`, which also
// names the manifest in errors. Checks the types of the fields the client uses and renames
// `disk_quota` to `disk-quota`. Refuses top-level `inherit` and `docker` apps. Apps without a
// name are accepted here: apply_push_flags decides, as the name may come from the command line.
Result<Manifest> parse_manifest(std::string_view yaml, const std::filesystem::path& file,
                                const ManifestVars& vars = {});

// cf's manifest lookup: a file is itself; a folder yields its manifest.yml, else its
// manifest.yaml; nullopt when there is none (or the path does not exist). Symlinks resolved.
Result<std::optional<std::filesystem::path>> locate_manifest(const std::filesystem::path& where);

// Reads (refusing files over kMaxManifestBytes) and parses a manifest file.
Result<Manifest> read_manifest(const std::filesystem::path& file, const ManifestVars& vars = {});

// Every `cupola push` flag. Empty strings and false mean "not given", as in cf. Every
// member has a default, so designated initializers may name only the flags given.
struct PushFlags {
  std::string app_name{};                 // APP_NAME argument
  std::string path{};                     // -p, --path: folder or zip to upload
  std::string manifest{};                 // -f, --manifest: file, or folder holding manifest.yml
  bool no_manifest = false;               // --no-manifest
  std::string instances{};                // -i, --instances
  std::string memory{};                   // -m, --memory: 256M, 1G
  std::string disk{};                     // -k, --disk
  std::vector<std::string> buildpacks{};  // -b, --buildpack (repeatable; "default"/"null": detect)
  std::string start_command{};            // -c, --start-command ("default"/"null": reset)
  std::string health_check_type{};        // -u, --health-check-type: port, process, http
  std::string endpoint{};                 // --endpoint: http health check path
  std::string timeout{};                  // -t, --app-start-timeout: seconds
  std::string stack{};                    // -s, --stack
  std::string docker_image{};             // -o, --docker-image (refused: buildpack apps only)
  std::string docker_username{};          // --docker-username (refused likewise)
  bool no_route = false;                  // --no-route
  bool random_route = false;              // --random-route
  bool no_start = false;                  // --no-start
  bool no_wait = false;                   // --no-wait
  bool task = false;                      // --task: staged, never started, no route
  std::vector<std::string> vars{};        // --var name=value (repeatable)
  std::vector<std::string> vars_files{};  // --vars-file (repeatable; later files win)
};

// Checks flag values and combinations with cf's texts, without touching the file system.
Status validate_push_flags(const PushFlags& flags);

// cf's flag overrides: picks the app named on the command line (or renames a lone app),
// applies the flags to it (to its `processes` web entry when there is one), refuses
// app-specific flags when several apps are pushed, resolves -p against `cwd` and adds
// `default-route: true` to apps without no-route or random-route. `base` is not modified.
Result<Manifest> apply_push_flags(const Manifest& base, const PushFlags& flags,
                                  const std::filesystem::path& cwd);

// The apply_manifest body: `applications:` with each app's name and fields; paths stay local.
std::string manifest_yaml(const Manifest& manifest);

struct PushApp {
  std::string name;
  std::filesystem::path path;  // what to upload: absolute, symlinks resolved
  bool start = true;           // false with --no-start
  bool task = false;           // --task: stage and set the droplet, leave stopped (start ignored)
  bool no_wait = false;        // --no-wait: wait for the first web instance only
};

struct PushPlan {
  std::filesystem::path manifest_file;  // empty when no manifest file was read
  std::string manifest_yaml;            // body for apply_manifest
  std::vector<PushApp> apps;            // in manifest order
};

// The whole client side of push before any request: checks the flags and the files they
// name, finds and reads the manifest (in `cwd` unless -f or --no-manifest), applies the
// flags and checks that every app path exists. Apps without a path upload `cwd`.
Result<PushPlan> plan_push(const PushFlags& flags, const std::filesystem::path& cwd);

}  // namespace cupola::cli
