#pragma once

// App manifests as `cf push` sends them to apply_manifest: YAML with an `applications` list.
// Parsing checks every field before anything is applied; problems name the app and the field
// the way Cloud Foundry does ("For application 'web': Memory must use a supported unit: ...").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace cupola::cc {

struct ProcessManifest {
  std::string type = "web";
  std::optional<std::int64_t> instances;
  std::optional<std::int64_t> memory_mb;
  std::optional<std::int64_t> disk_mb;
  // Set: the manifest names a command; an empty string resets it to the droplet's.
  std::optional<std::string> command;
  std::optional<std::string> health_check_type;  // port, process, http
  std::optional<std::string> health_check_endpoint;
  std::optional<std::int64_t> timeout;  // start timeout, seconds
  std::optional<std::int64_t> invocation_timeout;
  std::optional<std::int64_t> log_rate_limit;  // bytes per second; -1: unlimited
  bool empty() const {
    return !instances && !memory_mb && !disk_mb && !command && !health_check_type &&
           !health_check_endpoint && !timeout && !invocation_timeout && !log_rate_limit;
  }
};

struct AppManifest {
  std::string name;
  ProcessManifest web;                     // the app-level process keys
  std::vector<ProcessManifest> processes;  // `processes:` (web among them wins over app level)
  std::optional<std::vector<std::string>> buildpacks;  // empty: detect
  std::optional<std::string> stack;
  std::vector<std::pair<std::string, std::string>> env;  // values as strings
  std::optional<std::vector<std::string>> routes;        // "host.domain[/path]"
  bool no_route = false;
  bool random_route = false;
  bool default_route = false;
  std::vector<std::string> services;  // instance names to bind
};

struct ManifestLimits {
  std::size_t max_apps = 100;
  std::size_t max_nodes = 100000;  // YAML nodes visited, aliases included
};

struct ManifestProblem {
  bool syntax = false;  // not YAML at all (400), rather than a manifest breaking a rule (422)
  std::string message;  // every problem, joined by ", "
};

std::variant<std::vector<AppManifest>, ManifestProblem> parse_manifest(
    std::string_view yaml, const ManifestLimits& limits = {});

// Bytes per second from a log rate limit: "-1" (unlimited), "0", "1K", "512B", "2MB".
// nullopt for anything else.
std::optional<std::int64_t> parse_log_rate(std::string_view text);

// Megabytes from a Cloud Foundry size: "256M", "1G", "1024MB", "512" (megabytes), "2g".
// nullopt when the unit is unknown or the value not a positive whole number of megabytes.
std::optional<std::int64_t> parse_megabytes(std::string_view text);

}  // namespace cupola::cc
