// cupola push's manifest handling: finding and reading manifest.yml, variables, flag
// overrides with cf's rules and texts, and the YAML sent to apply_manifest.
#include "cli/src/manifest.h"

#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"

using namespace cupola::cli;
using cupola::testing::TempDir;
namespace fs = std::filesystem;

namespace {

PushPlan planned(const PushFlags& flags, const fs::path& cwd) {
  auto plan = plan_push(flags, cwd);
  if (!plan) FAIL(plan.error().message);
  return *plan;
}

std::string refused(const PushFlags& flags, const fs::path& cwd) {
  auto plan = plan_push(flags, cwd);
  REQUIRE_FALSE(plan.ok());
  return plan.error().message;
}

// The apply_manifest body, read back the way the Cloud Controller reads it.
YAML::Node sent(const PushPlan& plan) { return YAML::Load(plan.manifest_yaml)["applications"]; }

Manifest parsed(const std::string& yaml, const ManifestVars& vars = {}) {
  auto m = parse_manifest(yaml, "/apps/manifest.yml", vars);
  if (!m) FAIL(m.error().message);
  return *m;
}

std::string parse_error(const std::string& yaml, const ManifestVars& vars = {}) {
  auto m = parse_manifest(yaml, "/apps/manifest.yml", vars);
  REQUIRE_FALSE(m.ok());
  return m.error().message;
}

}  // namespace

TEST_CASE("a manifest with several apps is pushed whole, paths from the manifest's folder") {
  TempDir dir("cli-manifest");
  dir.write_file("project/web/index.html", "hi");
  dir.write_file("shared/worker/run.sh", "true");
  dir.write_file("project/manifest.yml", R"(applications:
- name: web
  path: web
  memory: 256M
  routes: [{route: web.apps.example.com}]
- name: worker
  path: ../shared/worker
  no-route: true
  instances: 2
)");
  fs::create_directories(dir / "elsewhere");

  SECTION("found in the working folder") {
    auto plan = planned({}, dir / "project");
    CHECK(plan.manifest_file == fs::canonical(dir / "project/manifest.yml"));
    REQUIRE(plan.apps.size() == 2);
    CHECK(plan.apps[0].name == "web");
    CHECK(plan.apps[0].path == fs::canonical(dir / "project/web"));
    CHECK(plan.apps[1].path == fs::canonical(dir / "shared/worker"));
    CHECK(plan.apps[0].start);
    auto apps = sent(plan);
    REQUIRE(apps.size() == 2);
    CHECK(apps[0]["memory"].as<std::string>() == "256M");
    CHECK(apps[0]["routes"][0]["route"].as<std::string>() == "web.apps.example.com");
    CHECK(apps[0]["default-route"].as<bool>());
    CHECK_FALSE(apps[0]["path"]);
    CHECK(apps[1]["no-route"].as<bool>());
    CHECK_FALSE(apps[1]["default-route"]);
    CHECK(apps[1]["instances"].as<int>() == 2);
  }
  SECTION("with -f naming the file or its folder, relative to the working folder") {
    PushFlags flags{.manifest = "../project"};
    auto plan = planned(flags, dir / "elsewhere");
    CHECK(plan.apps[1].path == fs::canonical(dir / "shared/worker"));
    flags.manifest = "../project/manifest.yml";
    CHECK(planned(flags, dir / "elsewhere").apps.size() == 2);
  }
  SECTION("--no-start and -f still work with several apps; other flags do not") {
    PushFlags flags{.no_start = true};
    auto plan = planned(flags, dir / "project");
    CHECK_FALSE(plan.apps[0].start);
    CHECK_FALSE(plan.apps[1].start);
    flags.memory = "1G";
    CHECK(refused(flags, dir / "project") ==
          "Incorrect Usage: Command line flags (except -f and --no-start) cannot be applied when "
          "pushing multiple apps from a manifest file.");
  }
  SECTION("an app name picks that app, and flags then apply to it alone") {
    PushFlags flags{.app_name = "worker", .instances = "5"};
    auto plan = planned(flags, dir / "project");
    REQUIRE(plan.apps.size() == 1);
    CHECK(plan.apps[0].name == "worker");
    auto apps = sent(plan);
    REQUIRE(apps.size() == 1);
    CHECK(apps[0]["instances"].as<int>() == 5);
  }
  SECTION("an unknown app name is refused") {
    PushFlags flags{.app_name = "nope"};
    CHECK(refused(flags, dir / "project") == "Could not find app named 'nope' in manifest");
  }
  SECTION("a path that does not exist is reported with the resolved path") {
    dir.write_file("project/manifest.yml", "applications:\n- name: web\n  path: gone\n");
    CHECK(refused({}, dir / "project") ==
          "File not found locally, make sure the file exists at given path " +
              (fs::canonical(dir / "project") / "gone").string());
  }
}

TEST_CASE("the manifest is looked up as cf does") {
  TempDir dir("cli-manifest");
  fs::create_directories(dir / "app");

  SECTION("manifest.yml wins over manifest.yaml") {
    dir.write_file("app/manifest.yaml", "applications: [{name: yaml}]\n");
    CHECK(planned({}, dir / "app").apps[0].name == "yaml");
    dir.write_file("app/manifest.yml", "applications: [{name: yml}]\n");
    CHECK(planned({}, dir / "app").apps[0].name == "yml");
  }
  SECTION("-f with a folder lacking a manifest, or a missing path, is refused") {
    PushFlags flags{.manifest = "app"};
    CHECK(refused(flags, dir.path()) ==
          "Incorrect Usage: The specified directory 'app' does not contain a file named "
          "'manifest.yml'.");
    flags.manifest = "missing.yml";
    CHECK(refused(flags, dir.path()) ==
          "Incorrect Usage: The specified path 'missing.yml' does not exist.");
  }
  SECTION("without a manifest, the flags alone make a one-app manifest") {
    dir.write_file("app/index.html", "hi");
    PushFlags flags{.app_name = "app2",
                    .path = "app",
                    .instances = "2",
                    .memory = "256M",
                    .disk = "512M",
                    .buildpacks = {"staticfile_buildpack"},
                    .start_command = "sh run.sh",
                    .health_check_type = "http",
                    .endpoint = "/health",
                    .timeout = "60",
                    .stack = "cflinuxfs3"};
    auto plan = planned(flags, dir.path());
    REQUIRE(plan.apps.size() == 1);
    CHECK(plan.manifest_file.empty());
    CHECK(plan.apps[0].path == fs::canonical(dir / "app"));
    // What the cf CLI sends for these flags; the path stays local.
    CHECK(plan.manifest_yaml == R"(applications:
  - name: "app2"
    instances: 2
    command: sh run.sh
    health-check-type: http
    health-check-http-endpoint: /health
    timeout: 60
    memory: 256M
    disk-quota: 512M
    stack: cflinuxfs3
    buildpacks:
      - staticfile_buildpack
    default-route: true
)");
  }
  SECTION("--no-manifest ignores manifest.yml; apps without a path upload the working folder") {
    dir.write_file("app/manifest.yml", "applications: [{name: other}]\n");
    PushFlags flags{.app_name = "mine", .no_manifest = true};
    auto plan = planned(flags, dir / "app");
    CHECK(plan.apps[0].name == "mine");
    CHECK(plan.apps[0].path == dir / "app");
  }
  SECTION("no name anywhere") {
    CHECK(refused({}, dir / "app") ==
          "Incorrect Usage: The push command requires an app name. The app name can be supplied "
          "as an argument or with a manifest.yml file.");
  }
}

TEST_CASE("variables come from --vars-file and --var, later ones winning") {
  TempDir dir("cli-manifest");
  dir.write_file("manifest.yml", R"(applications:
- name: ((name))
  instances: ((instances))
  routes: ((routes))
  env:
    GREETING: hello ((who)), from ((creds.user))
)");
  dir.write_file("one.yml", "name: first\ninstances: 1\nwho: world\ncreds: {user: ann}\n");
  dir.write_file("two.yml", "name: second\nroutes: [{route: a.example.com}]\n");
  PushFlags flags{.vars_files = {"one.yml", "two.yml"}};

  SECTION("whole values keep their type, text inside a string is replaced") {
    flags.vars = {"instances=3"};
    auto plan = planned(flags, dir.path());
    CHECK(plan.apps[0].name == "second");
    auto app = sent(plan)[0];
    CHECK(app["instances"].as<int>() == 3);
    CHECK(app["routes"][0]["route"].as<std::string>() == "a.example.com");
    CHECK(app["env"]["GREETING"].as<std::string>() == "hello world, from ann");
  }
  SECTION("every missing variable is named") {
    flags.vars_files = {"two.yml"};
    CHECK(refused(flags, dir.path()) == "Expected to find variables: creds, instances, who");
  }
  SECTION("--var must be name=value") {
    flags.vars = {"oops"};
    CHECK(refused(flags, dir.path()) ==
          "Incorrect Usage: Expected var 'oops' to be in format 'name=value'");
  }
  SECTION("a vars file must be a YAML map") {
    dir.write_file("bad.yml", "- a\n- b\n");
    flags.vars_files = {"bad.yml"};
    CHECK_THAT(refused(flags, dir.path()),
               Catch::StartsWith("The option --vars-file expects a valid YAML file."));
  }
  SECTION("a non-text value cannot go inside text") {
    ManifestVars vars;
    REQUIRE(add_var(vars, "l=[a, b]"));
    CHECK_THAT(parse_error("applications: [{name: x-((l))}]\n", vars),
               Catch::Contains("variable 'l'"));
  }
}

TEST_CASE("flags override the manifest's app") {
  TempDir dir("cli-manifest");
  dir.write_file("manifest.yml", R"(applications:
- name: web
  buildpack: ruby_buildpack
  command: bundle exec rackup
  health-check-type: http
  health-check-http-endpoint: /ready
  disk_quota: 1G
  custom-key: {kept: as is}
  env: {ZIP: "01234", FLAG: "true", N: 3}
)");
  PushFlags flags;

  SECTION("the emitted YAML keeps what flags do not touch") {
    auto app = sent(planned(flags, dir.path()))[0];
    CHECK(app["disk-quota"].as<std::string>() == "1G");
    CHECK_FALSE(app["disk_quota"]);
    CHECK(app["custom-key"]["kept"].as<std::string>() == "as is");
    CHECK(app["env"]["ZIP"].as<std::string>() == "01234");
    CHECK(app["env"]["ZIP"].Tag() == "!");  // still quoted: a string, not a number
    CHECK(app["buildpack"].as<std::string>() == "ruby_buildpack");
  }
  SECTION("-u port drops the manifest's http endpoint; -c null resets the command") {
    flags.health_check_type = "PORT";
    flags.start_command = "null";
    auto app = sent(planned(flags, dir.path()))[0];
    CHECK(app["health-check-type"].as<std::string>() == "port");
    CHECK_FALSE(app["health-check-http-endpoint"]);
    CHECK(app["command"].IsNull());
  }
  SECTION("--endpoint with a non-http type in the manifest is refused") {
    dir.write_file("manifest.yml", "applications: [{name: web, health-check-type: port}]\n");
    flags.endpoint = "/health";
    CHECK(refused(flags, dir.path()) ==
          "Incorrect Usage: The flag option --endpoint cannot be used with the manifest property "
          "health-check-type set to port");
  }
  SECTION("-b repeated replaces both spellings; -b default means detect") {
    flags.buildpacks = {"go_buildpack", "binary_buildpack"};
    auto app = sent(planned(flags, dir.path()))[0];
    REQUIRE(app["buildpacks"].size() == 2);
    CHECK(app["buildpacks"][1].as<std::string>() == "binary_buildpack");
    CHECK_FALSE(app["buildpack"]);
    flags.buildpacks = {"default"};
    app = sent(planned(flags, dir.path()))[0];
    CHECK(app["buildpacks"].IsSequence());
    CHECK(app["buildpacks"].size() == 0);
  }
  SECTION("process flags go to the web process when the manifest lists processes") {
    dir.write_file("manifest.yml", R"(applications:
- name: web
  processes:
  - type: worker
    instances: 1
  - type: web
    memory: 128M
)");
    flags.memory = "512M";
    flags.instances = "4";
    flags.random_route = true;
    auto app = sent(planned(flags, dir.path()))[0];
    CHECK(app["processes"][1]["memory"].as<std::string>() == "512M");
    CHECK(app["processes"][1]["instances"].as<int>() == 4);
    CHECK(app["processes"][0]["instances"].as<int>() == 1);
    CHECK_FALSE(app["memory"]);
    CHECK(app["random-route"].as<bool>());
    CHECK_FALSE(app["default-route"]);
  }
  SECTION("--task stages without starting and maps no route") {
    flags.task = true;
    auto plan = planned(flags, dir.path());
    CHECK(plan.apps[0].task);
    CHECK(sent(plan)[0]["no-route"].as<bool>());
  }
}

TEST_CASE("flag values and combinations are checked with cf's texts") {
  PushFlags f;
  auto error = [&] {
    auto s = validate_push_flags(f);
    REQUIRE_FALSE(s.ok());
    return s.error().message;
  };
  CHECK(validate_push_flags(f).ok());
  SECTION("sizes") {
    f.memory = "256";
    CHECK(error() ==
          "Incorrect Usage: Byte quantity must be an integer with a unit of measurement like M, "
          "MB, G, or GB");
    f.memory = "1g";
    f.disk = "1.5G";
    CHECK_THAT(error(), Catch::Contains("Byte quantity"));
    f.disk = "2048MB";
    CHECK(validate_push_flags(f).ok());
  }
  SECTION("numbers and health check types") {
    f.instances = "-1";
    CHECK(error() == "Incorrect Usage: invalid argument for flag '-i' (expected int > 0)");
    f.instances = "0";
    f.timeout = "0";
    CHECK(error() == "Incorrect Usage: Value must be greater than or equal to 1.");
    f.timeout = "";
    f.health_check_type = "tcp";
    CHECK(error() ==
          "Incorrect Usage: HEALTH_CHECK_TYPE must be \"port\", \"process\", or \"http\"");
    f.health_check_type = "http";
    CHECK(error() ==
          "Incorrect Usage: '--endpoint' and '--health-check-type=http, -u=http' must be used "
          "together.");
  }
  SECTION("combinations") {
    f.no_route = true;
    f.random_route = true;
    CHECK(error() ==
          "Incorrect Usage: The following arguments cannot be used together: --no-route, "
          "--random-route");
    f = {};
    f.no_manifest = true;
    f.manifest = "m.yml";
    CHECK(error() ==
          "Incorrect Usage: The following arguments cannot be used together: --no-manifest, "
          "--manifest, -f");
    f = {};
    f.no_start = true;
    f.no_wait = true;
    CHECK_THAT(error(), Catch::EndsWith("--no-start, --no-wait"));
    f = {};
    f.buildpacks = {"go_buildpack", "default"};
    CHECK(error() == "Multiple buildpacks flags cannot have null/default option.");
    f = {};
    f.docker_image = "nginx";
    CHECK_THAT(error(), Catch::StartsWith("Docker images are not supported"));
  }
}

TEST_CASE("manifest problems name the app and the field") {
  CHECK(parse_error("applications:\n- name: web\n  memory: lots\n") ==
        "For application 'web': memory must be a size like 256M or 1G");
  CHECK(parse_error("applications:\n- name: web\n  disk_quota: 1G\n  disk-quota: 2G\n") ==
        "For application 'web': cannot define both `disk_quota` and `disk-quota`");
  CHECK(parse_error("applications:\n- name: web\n  processes: [{type: worker, instances: x}]\n") ==
        "For application 'web', process 'worker': instances must be a whole number, 0 or more");
  CHECK(parse_error("applications:\n- name: web\n  no-route: maybe\n") ==
        "For application 'web': no-route must be true or false");
  CHECK_THAT(parse_error("applications:\n- name: web\n  docker: {image: nginx}\n"),
             Catch::Contains("docker images are not supported"));
  CHECK_THAT(parse_error("inherit: base.yml\napplications: [{name: web}]\n"),
             Catch::Contains("inheritance is no longer supported"));
  CHECK(parse_error("applications: []\n") == "Manifest must have at least one application.");
  // A YAML syntax error gives the line.
  CHECK_THAT(parse_error("applications:\n- name: web\n  memory: 1G\n  env: {A: [1, 2}\n"),
             Catch::Contains("manifest /apps/manifest.yml is not valid yaml: line 4"));

  SECTION("nameless apps") {
    PushFlags flags;
    auto two = parsed("applications: [{name: a}, {memory: 1G}]\n");
    auto r = apply_push_flags(two, flags, "/srv/app");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "Found an application with no name specified.");
    flags.app_name = "named";
    auto one = parsed("applications: [{memory: 1G}]\n");
    auto renamed = apply_push_flags(one, flags, "/srv/app");
    REQUIRE(renamed.ok());
    CHECK(renamed->applications[0].name == "named");
    CHECK_FALSE(one.applications[0].default_route());  // the base is left as it was
  }
}

TEST_CASE("typed accessors read what the client needs") {
  auto m = parsed(R"(applications:
- name: web
  path: site
  instances: 2
  memory: 256M
  disk-quota: 1G
  buildpacks: [a, b]
  command: ./run
  health-check-type: process
  timeout: 30
  stack: cflinuxfs3
  routes: [{route: web.example.com/x}]
  random-route: yes
  services: [db, {name: cache, parameters: {a: 1}}]
  env: {A: 1, B: text}
  processes: [{type: worker, instances: 3, command: work}]
)");
  const auto& app = m.applications.at(0);
  CHECK(app.path == "/apps/site");
  CHECK(app.instances() == 2);
  CHECK(app.memory() == "256M");
  CHECK(app.disk_quota() == "1G");
  CHECK(app.buildpacks() == std::vector<std::string>{"a", "b"});
  CHECK(app.command() == "./run");
  CHECK(app.health_check_type() == "process");
  CHECK(app.timeout() == 30);
  CHECK(app.stack() == "cflinuxfs3");
  CHECK(app.routes() == std::vector<std::string>{"web.example.com/x"});
  CHECK(app.random_route());
  CHECK_FALSE(app.no_route());
  CHECK(app.services() == std::vector<std::string>{"db", "cache"});
  CHECK(app.env() == std::vector<std::pair<std::string, std::string>>{{"A", "1"}, {"B", "text"}});
  REQUIRE(app.processes().size() == 1);
  CHECK(app.processes()[0].type == "worker");
  CHECK(app.processes()[0].instances == 3);
  CHECK(app.processes()[0].command == "work");
  // `yes` is normalised, since the Cloud Controller reads only true and false.
  CHECK(app.fields["random-route"].Scalar() == "true");
}

TEST_CASE("oversized manifests are refused") {
  TempDir dir("cli-manifest");
  std::string big = "applications:\n- name: web\n  env:\n";
  while (big.size() <= kMaxManifestBytes) big += "    K" + std::to_string(big.size()) + ": v\n";
  dir.write_file("manifest.yml", big);
  CHECK_THAT(refused({}, dir.path()), Catch::Contains("is larger than 1 MiB"));

  SECTION("so are small ones that expand through aliases") {
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 8; ++i) {
      auto n = std::to_string(i);
      bomb += "a" + n + ": &a" + n + " [";
      for (int j = 0; j < 10; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
      bomb += "]\n";
    }
    bomb += "applications: [{name: web, env: {X: *a7}}]\n";
    CHECK_THAT(parse_error(bomb), Catch::Contains("too large"));
    CHECK_THAT(parse_error("a: &a [*a]\napplications: [{name: web}]\n"),
               Catch::Contains("too large"));
  }
}
