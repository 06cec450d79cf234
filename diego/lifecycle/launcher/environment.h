#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::lifecycle {

// `path` with repeated slashes, "." and resolvable ".." removed, lexically (as Go's
// filepath.Clean): "/home/vcap/app/../tmp" -> "/home/vcap/tmp"; "" -> ".".
std::string clean_path(std::string_view path);

// `path` made absolute against `cwd` (itself absolute) and cleaned; no symlinks resolved.
std::string absolute_path(std::string_view cwd, std::string_view path);

// Reads a variable of the launcher's environment; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// VCAP_APPLICATION as the app should see it: the given JSON object with host "0.0.0.0",
// instance_id from INSTANCE_GUID, and port and instance_index from PORT and INSTANCE_INDEX
// when those are integers. Nothing when the value is not a JSON object.
std::optional<std::string> munge_vcap_application(std::string_view vcap_application,
                                                  const EnvLookup& env);

struct EnvSetting {
  std::string name;
  std::string value;
};

// What the launcher sets before starting the app in `app_dir` (absolute): HOME (the app
// dir), TMPDIR (../tmp), DEPS_DIR (../deps), VCAP_APPLICATION (munged, when it is a JSON
// object) and DATABASE_URL (from VCAP_SERVICES, replacing any value it had, as Cloud
// Foundry's launcher does).
std::vector<EnvSetting> launch_environment(std::string_view app_dir, const EnvLookup& env);

}  // namespace cupola::lifecycle
