// Staging for real: the bundled buildpacks (buildpacks/) installed by a real cupola-cc at
// start, the real cupola-builder in a runc container on the cupolafs stack, and the sample
// apps of test/fixtures/apps pushed through the v3 API. Each stages to the expected droplet
// (or the expected error) and, started, answers HTTP on its port. Needs root (runc).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
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
  for (const auto& e : fs::recursive_directory_iterator(app)) {
    std::string name = fs::relative(e.path(), app).string();
    if (e.is_directory()) {
      zip.dir(name + "/");
    } else if (e.is_regular_file()) {
      auto perms = static_cast<unsigned>(fs::status(e.path()).permissions()) & 0777;
      zip.file(name, read_file(e.path()), perms);
    }
  }
  zip.write(out);
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

  // Creates the app, uploads the sample's bits and stages them; the finished build.
  json::Document stage(const std::string& sample, const std::string& lifecycle = "",
                       std::string* app_guid = nullptr) {
    std::string body = R"({"name": ")" + sample +
                       R"(", "relationships": {"space": {"data": {"guid": ")" + space + R"("}}})" +
                       (lifecycle.empty() ? "" : ", \"lifecycle\": " + lifecycle) + "}";
    std::string app = guid_of(cc->json_of(http::Verb::post, "/v3/apps", admin, body));
    if (app_guid != nullptr) *app_guid = app;
    std::string package = guid_of(cc->json_of(
        http::Verb::post, "/v3/packages", admin,
        R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
    std::string zip = zip_of(fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps" / sample,
                             work / (sample + ".zip"));
    auto up = cc->call(http::Verb::post, "/v3/packages/" + package + "/upload", admin,
                       upload_body(zip, "b"), "multipart/form-data; boundary=b");
    REQUIRE(up.result() == http::StatusCode::ok);
    auto t0 = std::chrono::steady_clock::now();
    std::string build = guid_of(cc->json_of(http::Verb::post, "/v3/builds", admin,
                                            R"({"package": {"guid": ")" + package + R"("}})"));
    std::string state = "STAGING";
    eventually(
        [&] {
          auto b = cc->json_of(http::Verb::get, "/v3/builds/" + build, admin);
          state = b["state"].GetString();
          return state != "STAGING";
        },
        180s, 250ms);
    auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("staging %-14s %-7s %.2f s (build created to STAGED/FAILED, polled every 0.25 s)\n",
                sample.c_str(), state.c_str(), took);
    return cc->json_of(http::Verb::get, "/v3/builds/" + build, admin);
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
