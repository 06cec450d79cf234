// push: the manifest and the flags applied server-side, then for each app its files matched,
// zipped and uploaded (with a progress bar), staged with its logs streaming, started, and
// summarised, as the cf CLI v7 does it.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "cli/src/app_files.h"
#include "cli/src/commands/app_flow.h"
#include "cli/src/commands/lookup.h"
#include "cli/src/manifest.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A private folder for the zips, removed when push ends.
class Scratch {
 public:
  Scratch() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cupola-push-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

PushFlags flags_of(const Parsed& p) {
  PushFlags f;
  f.app_name = p.arg(0);
  f.path = p.value("p");
  f.manifest = p.value("f");
  f.no_manifest = p.has("no-manifest");
  f.instances = p.value("i");
  f.memory = p.value("m");
  f.disk = p.value("k");
  f.buildpacks = p.values("b");
  f.start_command = p.value("c");
  f.health_check_type = p.value("u");
  f.endpoint = p.value("endpoint");
  f.timeout = p.value("t");
  f.stack = p.value("s");
  f.docker_image = p.value("o");
  f.no_route = p.has("no-route");
  f.random_route = p.has("random-route");
  f.no_start = p.has("no-start");
  f.no_wait = p.has("no-wait");
  f.task = p.has("task");
  f.vars = p.values("var");
  f.vars_files = p.values("vars-file");
  return f;
}

// The files of APP's folder the platform does not have yet, zipped and uploaded to a new
// package; waits until the package is READY. Its guid.
Result<std::string> upload_bits(Session& s, const std::string& app_guid, const PushApp& app,
                                const fs::path& scratch) {
  s.ui.say("Packaging files to upload...");
  auto files = gather_resources(app.path);
  if (!files) return std::move(files).error();
  std::map<std::string, AppResource> matched;
  for (const auto& body : resource_match_bodies(*files)) {
    auto answer = s.cc().text("POST", "/v3/resource_matches", body);
    if (!answer) return std::move(answer).error();
    auto some = parse_matched(*answer);
    if (!some) return std::move(some).error();
    matched.insert(some->begin(), some->end());
  }
  auto rest = unmatched_resources(*files, matched);
  auto package = s.cc().post(
      "/v3/packages",
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app_guid + R"("}}}})");
  if (!package) return std::move(package).error();
  std::string guid = str(*package, "guid");
  std::string zip;
  auto changed = summarize(rest);
  if (changed.files > 0) {
    fs::path out = scratch / (guid + ".zip");
    if (auto written = write_app_zip(app.path, rest, out); !written) return written.error();
    std::ifstream in(out, std::ios::binary);
    zip.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto all = summarize(*files);
  if (s.verbose()) {
    std::string names;
    for (const auto& r : rest) {
      if (!r.directory) names += "\n  " + r.path;
    }
    s.ui.say("Uploading " + std::to_string(changed.files) + " of " + std::to_string(all.files) +
             " files (" + std::to_string(matched.size()) + " already on the platform):" + names);
  }
  s.ui.say("Uploading files...");
  auto uploaded = s.cc().upload_package(
      guid, matched_resources_json(matched), zip,
      [&s](std::uint64_t done, std::uint64_t total) { s.ui.progress(done, total); });
  s.ui.say("");
  if (!uploaded) return std::move(uploaded).error();
  s.ui.say("Waiting for API to complete processing files...\n");
  for (int i = 0; i < 2400; ++i) {  // 10 minutes at most
    auto p = s.cc().get("/v3/packages/" + guid);
    if (!p) return std::move(p).error();
    std::string state = str(*p, "state");
    if (state == "READY") return guid;
    if (state == "FAILED" || state == "EXPIRED") {
      return Error{make_error_code(Errc::Internal), "The package of " + app.name + " is " + state};
    }
    std::this_thread::sleep_for(1s);
  }
  return Error{make_error_code(Errc::Timeout),
               "The package of " + app.name + " was not processed in time"};
}

int push_one(Session& s, const PushApp& app, const fs::path& scratch) {
  auto found = lookup_app(s, app.name);
  if (!found) return s.fail(found.error());
  std::string guid = str(*found, "guid");
  auto package = upload_bits(s, guid, app, scratch);
  if (!package) return s.fail(package.error());
  if (app.start == false && !app.task) {
    if (str(*found, "state") == "STARTED") {
      if (auto stopped = s.cc().post("/v3/apps/" + guid + "/actions/stop", ""); !stopped) {
        return s.fail(stopped.error());
      }
    }
    if (auto shown = show_app_summary(s, guid); !shown) return s.fail(shown.error());
    return 0;
  }
  auto droplet = stage_package(s, guid, app.name, *package);
  if (!droplet) return s.fail(droplet.error());
  auto set = s.cc().patch("/v3/apps/" + guid + "/relationships/current_droplet",
                          R"({"data": {"guid": ")" + *droplet + R"("}})");
  if (!set) return s.fail(set.error());
  if (!app.task) {
    auto restarted = s.cc().post("/v3/apps/" + guid + "/actions/restart", "");
    if (!restarted) return s.fail(restarted.error());
    if (auto waited = wait_for_instances(s, guid, app.name); !waited) return s.fail(waited.error());
  }
  if (auto shown = show_app_summary(s, guid); !shown) return s.fail(shown.error());
  return 0;
}

int run_push(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  PushFlags flags = flags_of(p);
  if (auto valid = validate_push_flags(flags); !valid) return s.fail(valid.error().message);
  auto plan = plan_push(flags, fs::current_path());
  if (!plan) return s.fail(plan.error().message);
  std::string where = "to org " + s.ui.cyan(s.config.org_name) + " / space " +
                      s.ui.cyan(s.config.space_name) + " as " + s.ui.cyan(s.user()) + "...";
  if (!plan->manifest_file.empty()) {
    s.ui.say("Pushing from manifest " + where);
    s.ui.say("Applying manifest file " + s.ui.cyan(plan->manifest_file.string()) + "...");
  } else {
    s.ui.say("Pushing app " + s.ui.cyan(plan->apps.front().name) + " " + where);
  }
  auto applied =
      s.cc().call("POST", "/v3/spaces/" + s.config.space_guid + "/actions/apply_manifest",
                  plan->manifest_yaml, "application/x-yaml");
  if (!applied) return s.fail(applied.error());
  if (!applied->location.empty()) {
    if (auto job = s.cc().wait_job(applied->location); !job) return s.fail(job.error());
  }
  if (!plan->manifest_file.empty()) s.ui.say("Manifest applied\n");
  Scratch scratch;
  if (scratch.path().empty())
    return s.fail("Cannot create a temporary folder for the upload (TMPDIR)");
  for (std::size_t i = 0; i < plan->apps.size(); ++i) {
    if (i > 0) s.ui.say("");
    if (plan->apps.size() > 1 || !plan->manifest_file.empty()) {
      s.ui.say("Updating app " + s.ui.cyan(plan->apps[i].name) + "...");
    }
    if (int rc = push_one(s, plan->apps[i], scratch.path()); rc != 0) return rc;
  }
  return 0;
}

}  // namespace

void add_push_command(std::vector<Command>& out) {
  out.push_back(
      {{.name = "push",
        .aliases = {"p"},
        .summary = "Push a new app or sync changes to an existing app",
        .usage = "cupola push APP_NAME [-b BUILDPACK]... [-c COMMAND] [-f MANIFEST_PATH | "
                 "--no-manifest] [--no-start] [--no-wait] [-i NUM_INSTANCES] [-k DISK] [-m MEMORY] "
                 "[-p PATH] [-s STACK] [-t HEALTH_TIMEOUT] [--task] [-u (port | process | http)] "
                 "[--endpoint PATH] [--no-route | --random-route] [--var KEY=VALUE]... "
                 "[--vars-file VARS_FILE_PATH]...\n   cupola push [-f MANIFEST_PATH]",
        .optional_args = 1,
        .flags = {{"b", 'b', "BUILDPACK", "Custom buildpack by name or 'default'", true},
                  {"c", 'c', "COMMAND",
                   "Startup command, set to 'null' to reset to default start command"},
                  {"f", 'f', "MANIFEST_PATH", "Path to manifest"},
                  {"no-manifest", 0, "", "Ignore manifest file"},
                  {"no-start", 0, "", "Do not stage and start the app after pushing"},
                  {"no-wait", 0, "", "Exit when the first instance of the web process is healthy"},
                  {"i", 'i', "NUM_INSTANCES", "Number of instances", false, 0},
                  {"k", 'k', "DISK", "Disk limit (e.g. 256M, 1024M, 1G)"},
                  {"m", 'm', "MEMORY", "Memory limit (e.g. 256M, 1024M, 1G)"},
                  {"p", 'p', "PATH", "Path to app directory"},
                  {"s", 's', "STACK", "Stack to use (a stack is a pre-built file system)"},
                  {"o", 'o', "IMAGE", "Docker image to use (not supported)"},
                  {"t", 't', "HEALTH_TIMEOUT",
                   "Time (in seconds) allowed to elapse between starting up an app and the first "
                   "healthy response from the app",
                   false, 1},
                  {"task", 0, "", "Push an app that is used only to execute tasks"},
                  {"u", 'u', "TYPE", "Application health check type: 'port', 'process' or 'http'"},
                  {"endpoint", 0, "PATH", "Valid path on the app for an HTTP health check"},
                  {"no-route", 0, "", "Do not map a route to this app"},
                  {"random-route", 0, "",
                   "Create a random route for this app (except when no-route is specified in the "
                   "manifest)"},
                  {"var", 0, "KEY=VALUE", "Variable key value pair for variable substitution",
                   true},
                  {"vars-file", 0, "VARS_FILE_PATH",
                   "Path to a variable substitution file for manifest", true}}},
       run_push});
}

}  // namespace cupola::cli
