#pragma once

// Staging as Cloud Foundry's builder does it, inside the staging container: detect a buildpack
// (or take the app's), run each buildpack's bin/supply and the last one's bin/finalize (or the
// old bin/compile), read bin/release's default process types (a Procfile in the app wins),
// then pack the droplet (app/, deps/, staging_info.yml) and write the result the
// Cloud Controller reads. Buildpack output goes straight to the builder's stdout and stderr:
// the staging logs.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::lifecycle {

// Exit statuses the Cloud Controller turns into its errors.
inline constexpr int kDetectFailed = 222;   // NoAppDetectedError
inline constexpr int kCompileFailed = 223;  // BuildpackCompileFailed (finalize, compile)
inline constexpr int kReleaseFailed = 224;  // BuildpackReleaseFailed
inline constexpr int kSupplyFailed = 225;   // a supply step failed
inline constexpr int kBuilderFailed = 1;    // bad usage, or the builder's own I/O

struct BuilderOptions {
  std::string build_dir = "/tmp/app";
  std::string output_droplet = "/tmp/droplet";
  std::string output_metadata = "/tmp/result.json";
  std::string cache_dir = "/tmp/cache";
  std::string buildpacks_dir = "/tmp/buildpacks";
  // Where the build cache goes as a .tgz for the next staging ("": not kept).
  std::string output_cache;
  std::vector<std::string> buildpack_order;  // names of directories in buildpacks_dir
  bool skip_detect = false;
};

// Parses Go-style flags (-name=value, -name value, --name=value): -buildDir,
// -outputDroplet, -outputMetadata, -buildArtifactsCacheDir, -buildpacksDir,
// -buildpackOrder (comma-separated), -skipDetect, -outputBuildArtifactsCache; unknown flags
// are ignored, as staging tasks
// pass more than this builder needs. Returns an error text for a malformed value.
std::string parse_builder_options(const std::vector<std::string>& args, BuilderOptions& out);

// What bin/release prints: `default_process_types` and `config_vars`, each the `key: value`
// lines indented under it. Quoted values lose their quotes.
struct Release {
  std::map<std::string, std::string> process_types;
  std::map<std::string, std::string> config_vars;
};
Release parse_release(std::string_view yaml);

// A profile script giving each config var its value unless the app's environment already
// has one (a user's `cf set-env` wins). Names that are not shell variable names are left out.
std::string config_vars_script(const std::map<std::string, std::string>& vars);

// The process types of a Procfile: `type: command` lines.
std::map<std::string, std::string> parse_procfile(std::string_view text);

// Runs the whole staging. Returns the exit status (0, or one of the above).
int run_builder(const BuilderOptions& options);

}  // namespace cupola::lifecycle
