// Staging for real: the bundled buildpacks (buildpacks/) installed by a real cupola-cc at
// start, the real cupola-builder in a runc container on the cupolafs stack, and the sample
// apps of test/fixtures/apps pushed through the v3 API. Each stages to the expected droplet
// (or the expected error) and, started, answers HTTP on its port. Needs root (runc).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "test/cloud_controller/bits/zip_builder.h"
#include "test/integration/cc_platform.h"

using namespace cupola;
using namespace cupola::test;
using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

// A zip of a sample app as cf push makes it: relative paths, modes kept.
std::string zip_of(const fs::path& app, const fs::path& out) {
  cc::bits::testing::ZipBuilder zip;
  zip.tree(app).write(out);
  return read_file(out);
}

struct Platform {
  testing::NatsServer nats;
  unsigned short auctioneer_port = testing::free_tcp_port();
  BbsProcess bbs{nats, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port) +
                           R"(", "converge_interval": "2s", "cell_check_interval": "1s")"};
  testing::ComponentRunner auctioneer{"cupola-auctioneer", "auctioneer",
                                      auctioneer_config(auctioneer_port, bbs, nats)};
  // The rep copies the builder, launcher and healthcheck from beside itself.
  std::unique_ptr<RepProcess> cell;
  std::unique_ptr<Cc> cc;
  std::string admin, space;
  testing::TempDir work{"staging-apps"};

  Platform() {
    auctioneer.start();
    cell = std::make_unique<RepProcess>("cell-1", 61400, bbs, nats);
    cc = std::make_unique<Cc>(nats, bbs, testing::free_tcp_port(),
                              R"("buildpacks_dir": ")" CUPOLA_SOURCE_DIR R"(/buildpacks")");
    admin = cc->admin_token();
    std::string org =
        guid_of(cc->json_of(http::Verb::post, "/v3/organizations", admin, R"({"name": "acme"})"));
    space = guid_of(
        cc->json_of(http::Verb::post, "/v3/spaces", admin,
                    R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                        org + R"("}}}})"));
  }

  std::string create_app(const std::string& name, const std::string& lifecycle = "") {
    std::string body = R"({"name": ")" + name +
                       R"(", "relationships": {"space": {"data": {"guid": ")" + space + R"("}}})" +
                       (lifecycle.empty() ? "" : ", \"lifecycle\": " + lifecycle) + "}";
    return guid_of(cc->json_of(http::Verb::post, "/v3/apps", admin, body));
  }

  // A package of the app holding DIR's files; its guid.
  std::string upload(const std::string& app, const fs::path& dir) {
    std::string package = guid_of(cc->json_of(
        http::Verb::post, "/v3/packages", admin,
        R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
    std::string zip = zip_of(dir, work / (package + ".zip"));
    auto up = cc->call(http::Verb::post, "/v3/packages/" + package + "/upload", admin,
                       upload_body(zip, "b"), "multipart/form-data; boundary=b");
    REQUIRE(up.result() == http::StatusCode::ok);
    return package;
  }

  // Stages the package; the finished build. Prints how long it took as LABEL.
  // EXTRA: more members of the build's JSON, each after a comma.
  json::Document build(const std::string& package, const std::string& label,
                       double* seconds = nullptr, const std::string& extra = "") {
    auto t0 = std::chrono::steady_clock::now();
    std::string build =
        guid_of(cc->json_of(http::Verb::post, "/v3/builds", admin,
                            R"({"package": {"guid": ")" + package + R"("})" + extra + "}"));
    std::string state = "STAGING";
    eventually(
        [&] {
          auto b = cc->json_of(http::Verb::get, "/v3/builds/" + build, admin);
          state = b["state"].GetString();
          return state != "STAGING";
        },
        180s, 250ms);
    auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (seconds != nullptr) *seconds = took;
    std::printf("staging %-14s %-7s %.2f s (build created to STAGED/FAILED, polled every 0.25 s)\n",
                label.c_str(), state.c_str(), took);
    return cc->json_of(http::Verb::get, "/v3/builds/" + build, admin);
  }

  // Creates the app, uploads the sample's bits (DIR's, when given) and stages them (EXTRA as
  // in build()).
  json::Document stage(const std::string& sample, const std::string& lifecycle = "",
                       std::string* app_guid = nullptr, const fs::path& dir = {},
                       const std::string& extra = "") {
    std::string app = create_app(sample, lifecycle);
    if (app_guid != nullptr) *app_guid = app;
    fs::path bits = dir.empty() ? fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps" / sample : dir;
    return build(upload(app, bits), sample, nullptr, extra);
  }

  // Starts the app on its droplet; the host port of its running instance.
  unsigned short start(const std::string& app, const json::Document& build) {
    std::string droplet = build["droplet"]["guid"].GetString();
    cc->json_of(http::Verb::patch, "/v3/apps/" + app + "/relationships/current_droplet", admin,
                R"({"data": {"guid": ")" + droplet + R"("}})");
    cc->json_of(http::Verb::post, "/v3/apps/" + app + "/actions/start", admin);
    auto processes = cc->json_of(http::Verb::get, "/v3/apps/" + app + "/processes", admin);
    std::string web = processes["resources"][0]["guid"].GetString();
    unsigned short port = 0;
    eventually(
        [&] {
          auto stats = cc->json_of(http::Verb::get, "/v3/processes/" + web + "/stats", admin);
          const auto& i = stats["resources"][0];
          if (std::string(i["state"].GetString()) != "RUNNING") return false;
          port = static_cast<unsigned short>(i["instance_ports"][0]["external"].GetUint());
          return true;
        },
        90s, 250ms);
    return port;
  }
};

// An admin buildpack made from DIR's files, uploaded as a zip at POSITION.
void upload_buildpack(Platform& p, const std::string& name, const fs::path& dir, int position) {
  std::string guid = guid_of(p.cc->json_of(
      http::Verb::post, "/v3/buildpacks", p.admin,
      R"({"name": ")" + name + R"(", "position": )" + std::to_string(position) + "}"));
  std::string zip = zip_of(dir, p.work / (name + ".zip"));
  auto up = p.cc->call(http::Verb::post, "/v3/buildpacks/" + guid + "/upload", p.admin,
                       upload_body(zip, "b"), "multipart/form-data; boundary=b");
  INFO(up.body());
  REQUIRE(up.result_int() < 300);
  p.cc->json_of(http::Verb::get, "/v3/buildpacks/" + guid, p.admin);
}

// The body of GET PATH on 127.0.0.1:PORT, or why there is none.
std::string body_of(unsigned short port, const std::string& path = "/") {
  try {
    BlockingClient client(port);
    http::Request req{http::Verb::get, path, 11};
    req.set(http::bhttp::field::host, "127.0.0.1");
    return client.request(std::move(req)).body();
  } catch (const std::exception& e) {
    return std::string("(no answer: ") + e.what() + ")";
  }
}

// A copy of a sample app in the platform's work folder, with one more (empty) file.
fs::path sample_with(Platform& p, const std::string& sample, const std::string& file) {
  fs::path dir = p.work / (sample + "-" + file);
  fs::copy(fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps" / sample, dir,
           fs::copy_options::recursive);
  std::ofstream(dir / file) << "\n";
  return dir;
}

std::string droplet_of(Platform& p, const json::Document& build) {
  std::string guid = build["droplet"]["guid"].GetString();
  auto d = p.cc->json_of(http::Verb::get, "/v3/droplets/" + guid, p.admin);
  json::Writer w;
  w.value(d);
  return w.str();
}

}  // namespace

TEST_CASE("the bundled buildpacks stage the sample apps, which then answer on their port") {
  if (::geteuid() != 0) {
    WARN("not root: staging needs runc; skipped");
    return;
  }
  Platform p;
  auto output = [&] {
    return p.cell->process().output().substr(0, 30000) + "\ncc:\n" +
           p.cc->runner->process().output().substr(0, 10000);
  };
  auto installed = p.cc->json_of(http::Verb::get, "/v3/buildpacks?order_by=position", p.admin);
  std::vector<std::string> names;
  for (const auto& b : installed["resources"].GetArray()) names.push_back(b["name"].GetString());
  CHECK(std::find(names.begin(), names.end(), "staticfile_buildpack") != names.end());
  CHECK(std::find(names.begin(), names.end(), "python_buildpack") != names.end());
  CHECK(std::find(names.begin(), names.end(), "binary_buildpack") != names.end());
  CHECK(std::find(names.begin(), names.end(), "nodejs_buildpack") != names.end());
  CHECK(std::find(names.begin(), names.end(), "ruby_buildpack") != names.end());
  CHECK(std::find(names.begin(), names.end(), "go_buildpack") != names.end());

  SECTION("a static site: staticfile detects it and nginx serves it") {
    std::string app;
    auto build = p.stage("static", "", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    CHECK(droplet_of(p, build).find("staticfile") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK(http_status(port, "/") == 200);
    CHECK(http_status(port, "/no/such/page") == 200);  // pushstate: enabled
  }
  SECTION("a python app: a virtualenv, and the Procfile's command") {
    std::string app;
    auto build = p.stage("python", "", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    CHECK(droplet_of(p, build).find(R"("web":"python3 app.py")") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK(http_status(port, "/") == 200);
  }
  SECTION("a prebuilt program, staged by the binary buildpack named by the app") {
    std::string app;
    auto build = p.stage(
        "binary", R"({"type": "buildpack", "data": {"buildpacks": ["binary_buildpack"]}})", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK(http_status(port, "/") == 200);
  }
  SECTION("a node app with a dependency: npm installs it, npm start runs it") {
    std::string app;
    auto build = p.stage("node", "", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    CHECK(droplet_of(p, build).find("nodejs") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK(http_status(port, "/") == 200);
  }
  SECTION("a ruby app: bundler with the stack's gems, the Procfile's command") {
    std::string app;
    auto build = p.stage("ruby", "", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK(http_status(port, "/") == 200);
  }
  SECTION("a go app with a vendored module: built with the stack's Go, its binary runs") {
    std::string app;
    auto build = p.stage("go", "", &app);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    CHECK(droplet_of(p, build).find(R"("web":"./bin/hello")") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK_THAT(body_of(port), Catch::StartsWith("Hello from a Cupola Go app, Cupola!"));
  }
  SECTION("a rack app with its gems in vendor/cache: bundler installs them offline, rackup") {
    // The gems are built from Debian's ruby-rack and ruby-webrick when the test runs.
    fs::path dir = p.work / "ruby-rack";
    fs::copy(fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps/ruby-rack", dir,
             fs::copy_options::recursive);
    std::string vendor = CUPOLA_SOURCE_DIR "/test/buildpacks/vendor_gems.sh " + dir.string();
    REQUIRE(std::system(vendor.c_str()) == 0);
    std::string app;
    auto build = p.stage("ruby-rack", "", &app, dir);
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    CHECK(droplet_of(p, build).find("bundle exec rackup") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    CHECK_THAT(body_of(port), Catch::StartsWith("Hello from Rack 2."));
  }
  SECTION("a custom admin buildpack uploaded as a zip: detected first, compiled, released") {
    upload_buildpack(p, "custom_buildpack",
                     fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps/custom-buildpack", 1);
    std::string app = p.create_app("custom");
    p.cc->json_of(http::Verb::post, "/v3/apps/" + app + "/processes/web/actions/scale", p.admin,
                  R"({"memory_in_mb": 256})");
    std::string package = p.upload(app, fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps/custom");
    auto build = p.build(package, "custom");
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "STAGED");
    std::string droplet = droplet_of(p, build);
    CHECK(droplet.find(R"("web":"./serve.sh")") != std::string::npos);
    CHECK(droplet.find("custom_buildpack") != std::string::npos);
    unsigned short port = p.start(app, build);
    REQUIRE(port != 0);
    std::string page = body_of(port);
    // bin/release's config_vars reach the app; the launcher sources the app's .profile.
    CHECK(page.find("greeting=hello from config_vars") != std::string::npos);
    CHECK(page.find("profile=set by .profile") != std::string::npos);
    CHECK(page.find("text=Served by the custom admin buildpack.") != std::string::npos);

    CHECK(page.find("staging=1") != std::string::npos);

    // A restage finds what the first staging left in the build cache; restarted on the new
    // droplet, the app says so. (The test's cell has 1 GB of memory and 8 GB of disk: room for
    // the running app, this staging, and an earlier staging's container still being removed.)
    auto again = p.build(package, "custom again", nullptr,
                         R"(, "staging_memory_in_mb": 256, "staging_disk_in_mb": 1024)");
    INFO(std::string(again["error"].IsString() ? again["error"].GetString() : ""));
    REQUIRE(std::string(again["state"].GetString()) == "STAGED");
    std::string second = again["droplet"]["guid"].GetString();
    p.cc->json_of(http::Verb::patch, "/v3/apps/" + app + "/relationships/current_droplet", p.admin,
                  R"({"data": {"guid": ")" + second + R"("}})");
    p.cc->json_of(http::Verb::post, "/v3/apps/" + app + "/actions/restart", p.admin);
    auto processes = p.cc->json_of(http::Verb::get, "/v3/apps/" + app + "/processes", p.admin);
    std::string web = processes["resources"][0]["guid"].GetString();
    std::string restarted;
    eventually(
        [&] {
          auto stats = p.cc->json_of(http::Verb::get, "/v3/processes/" + web + "/stats", p.admin);
          const auto& i = stats["resources"][0];
          if (std::string(i["state"].GetString()) != "RUNNING") return false;
          restarted =
              body_of(static_cast<unsigned short>(i["instance_ports"][0]["external"].GetUint()));
          return restarted.find("staging=") != std::string::npos &&
                 restarted.find("staging=1") == std::string::npos;
        },
        90s, 250ms);
    CHECK(restarted.find("staging=2") != std::string::npos);

    // Failures of an admin buildpack's steps (staged beside the running app, small).
    auto failed = p.stage("custom-compile", "", nullptr, sample_with(p, "custom", "fail-compile"),
                          R"(, "staging_memory_in_mb": 256, "staging_disk_in_mb": 1024)");
    REQUIRE(std::string(failed["state"].GetString()) == "FAILED");
    CHECK_THAT(failed["error"].GetString(), Catch::StartsWith("BuildpackCompileFailed"));
    auto refused = p.stage("custom-release", "", nullptr, sample_with(p, "custom", "fail-release"),
                           R"(, "staging_memory_in_mb": 256, "staging_disk_in_mb": 1024)");
    REQUIRE(std::string(refused["state"].GetString()) == "FAILED");
    CHECK_THAT(refused["error"].GetString(), Catch::StartsWith("BuildpackReleaseFailed"));
  }
  SECTION("an app whose install fails: BuildpackCompileFailed") {
    auto build = p.stage("failing");
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "FAILED");
    CHECK(std::string(build["error"].GetString()).rfind("BuildpackCompileFailed", 0) == 0);
  }
  SECTION("an app no buildpack detects: NoAppDetectedError") {
    auto build = p.stage("undetectable");
    INFO(output());
    REQUIRE(std::string(build["state"].GetString()) == "FAILED");
    CHECK(std::string(build["error"].GetString()).rfind("NoAppDetectedError", 0) == 0);
  }
}
