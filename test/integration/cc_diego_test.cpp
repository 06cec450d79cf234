// The Cloud Controller's bridge to Diego end to end: a real cupola-cc, BBS, auctioneer and
// cell (runc, the cupolafs stack) over a real nats-server and Postgres. An app is created,
// its bits uploaded, staged by a stand-in builder (test/fixtures/builder), started, scaled
// and stopped through the v3 API, and the test watches the BBS and the app itself.
// Needs root (runc), as CI runs; skipped with a warning otherwise.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "loggregator/api/codec.h"
#include "test/cloud_controller/bits/zip_builder.h"
#include "test/integration/cc_platform.h"

using namespace cupola;
using namespace cupola::test;
using namespace std::chrono_literals;
using http::test::BlockingClient;

namespace {

namespace fs = std::filesystem;

// The binaries a container runs, with the stand-in builder: readable by the container's
// vcap user.
void prepare_lifecycle(const fs::path& dir) {
  ::chmod(dir.c_str(), 0755);
  for (const char* name : {"cupola-launcher", "cupola-healthcheck"}) {
    fs::copy_file(testing::binary_path(name), dir / name, fs::copy_options::overwrite_existing);
  }
  fs::copy_file(CUPOLA_FIXTURE_BUILDER, dir / "cupola-builder",
                fs::copy_options::overwrite_existing);
  for (const auto& e : fs::directory_iterator(dir)) ::chmod(e.path().c_str(), 0755);
}

// The states of a process's instances as GET /v3/processes/:guid/stats reports them.
std::vector<std::string> states(Cc& cc, const std::string& token, const std::string& process) {
  std::vector<std::string> out;
  auto res = cc.call(http::Verb::get, "/v3/processes/" + process + "/stats", token);
  if (res.result() != http::StatusCode::ok) return out;
  auto doc = json::parse(res.body());
  if (!doc) return out;
  for (const auto& r : (*doc)["resources"].GetArray()) out.push_back(r["state"].GetString());
  return out;
}

bool all_are(const std::vector<std::string>& states, const std::string& want, std::size_t n) {
  if (states.size() != n) return false;
  for (const auto& s : states) {
    if (s != want) return false;
  }
  return true;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + " ";
  return s;
}

}  // namespace

TEST_CASE("the Cloud Controller stages an app through Diego, runs it, scales it and stops it") {
  if (::geteuid() != 0) {
    WARN("not root: the cell needs runc; skipped");
    return;
  }
  testing::NatsServer nats;
  unsigned short auctioneer_port = testing::free_tcp_port();
  BbsProcess bbs{nats, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port) +
                           R"(", "converge_interval": "2s", "cell_check_interval": "1s")"};
  testing::ComponentRunner auctioneer{"cupola-auctioneer", "auctioneer",
                                      auctioneer_config(auctioneer_port, bbs, nats)};
  auctioneer.start();
  testing::TempDir lifecycle{"lifecycle"};
  prepare_lifecycle(lifecycle.path());
  RepProcess cell("cell-1", 61300, bbs, nats, "runc", lifecycle.path().string());
  unsigned short logstore_port = testing::free_tcp_port();
  Cc cc(nats, bbs, logstore_port);
  std::string cc_url = "http://127.0.0.1:" + std::to_string(cc.port);
  testing::ComponentRunner logstore{"cupola-logstore", "logstore",
                                    R"({"listen_address": "127.0.0.1:)" +
                                        std::to_string(logstore_port) + R"(", "nats_servers": [")" +
                                        nats.url() + R"("], "uaa_url": ")" + cc_url +
                                        R"(", "cc_url": ")" + cc_url + R"("})"};
  logstore.start();
  std::string admin = cc.admin_token();
  auto output = [&] {
    return "cc:\n" + cc.runner->process().output().substr(0, 20000) + "\ncell:\n" +
           cell.process().output().substr(0, 20000);
  };

  std::string org =
      guid_of(cc.json_of(http::Verb::post, "/v3/organizations", admin, R"({"name": "acme"})"));
  std::string space = guid_of(
      cc.json_of(http::Verb::post, "/v3/spaces", admin,
                 R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" + org +
                     R"("}}}})"));
  auto app_doc = cc.json_of(http::Verb::post, "/v3/apps", admin,
                            R"({"name": "hello", "relationships": {"space": {"data": {"guid": ")" +
                                space + R"("}}}, "environment_variables": {"GREETING": "hi"}})");
  std::string app = guid_of(app_doc);
  auto processes = cc.json_of(http::Verb::get, "/v3/apps/" + app + "/processes", admin);
  std::string web = processes["resources"][0]["guid"].GetString();
  REQUIRE(cc.json_of(http::Verb::post, "/v3/apps/" + app + "/processes/web/actions/scale", admin,
                     R"({"memory_in_mb": 64, "disk_in_mb": 64})")["memory_in_mb"]
              .GetInt() == 64);

  // Bits: the app serves its own directory and records its environment there.
  testing::TempDir work{"app-zip"};
  cc::bits::testing::ZipBuilder()
      .file("Procfile", "web: env > env.txt && exec python3 -m http.server $PORT\n")
      .file("index.html", "<h1>hello from cupola</h1>\n")
      .write(work.path() / "app.zip");
  std::string package = guid_of(cc.json_of(
      http::Verb::post, "/v3/packages", admin,
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
  auto uploaded = cc.call(http::Verb::post, "/v3/packages/" + package + "/upload", admin,
                          upload_body(read_file(work.path() / "app.zip"), "cupola-boundary"),
                          "multipart/form-data; boundary=cupola-boundary");
  INFO(uploaded.body());
  REQUIRE(uploaded.result() == http::StatusCode::ok);

  // Staging: a BBS task on the cell, the droplet uploaded back, the build STAGED.
  auto build = cc.json_of(http::Verb::post, "/v3/builds", admin,
                          R"({"package": {"guid": ")" + package + R"("}})");
  std::string build_guid = guid_of(build);
  CHECK(std::string(build["state"].GetString()) == "STAGING");
  std::string build_state;
  bool staged = eventually(
      [&] {
        auto b = cc.json_of(http::Verb::get, "/v3/builds/" + build_guid, admin);
        build_state = b["state"].GetString();
        return build_state != "STAGING";
      },
      120s, 500ms);
  auto finished = cc.json_of(http::Verb::get, "/v3/builds/" + build_guid, admin);
  INFO(output());
  REQUIRE(staged);
  std::string why = finished["error"].IsString() ? finished["error"].GetString() : "";
  INFO(why);
  REQUIRE(build_state == "STAGED");
  std::string droplet = finished["droplet"]["guid"].GetString();
  auto droplet_doc = cc.json_of(http::Verb::get, "/v3/droplets/" + droplet, admin);
  CHECK(std::string(droplet_doc["process_types"]["web"].GetString()) ==
        "env > env.txt && exec python3 -m http.server $PORT");
  CHECK(std::string(droplet_doc["buildpacks"][0]["buildpack_name"].GetString()) == "fixture");

  // A route in the shared apps domain, mapped to the app before it starts.
  auto domains = cc.json_of(http::Verb::get, "/v3/domains?names=apps.localhost", admin);
  REQUIRE(domains["resources"].Size() == 1);
  std::string domain = domains["resources"][0]["guid"].GetString();
  std::string route = guid_of(
      cc.json_of(http::Verb::post, "/v3/routes", admin,
                 R"({"host": "hello", "relationships": {"space": {"data": {"guid": ")" + space +
                     R"("}}, "domain": {"data": {"guid": ")" + domain + R"("}}}})"));
  cc.json_of(http::Verb::post, "/v3/routes/" + route + "/destinations", admin,
             R"({"destinations": [{"app": {"guid": ")" + app + R"("}}]})");

  // A user-provided service bound before the start reaches the app in VCAP_SERVICES.
  std::string ups = guid_of(
      cc.json_of(http::Verb::post, "/v3/service_instances", admin,
                 R"({"type": "user-provided", "name": "db", "credentials": {"uri": "pg://db"}, )"
                 R"("relationships": {"space": {"data": {"guid": ")" +
                     space + R"("}}}})"));
  cc.json_of(http::Verb::post, "/v3/service_credential_bindings", admin,
             R"({"type": "app", "relationships": {"app": {"data": {"guid": ")" + app +
                 R"("}}, "service_instance": {"data": {"guid": ")" + ups + R"("}}}})");

  // The running environment variable group reaches the app, under the app's own variables.
  cc.json_of(http::Verb::patch, "/v3/environment_variable_groups/running", admin,
             R"({"var": {"FROM_GROUP": "yes", "GREETING": "group"}})");

  // Start: the desired LRP appears and its instance answers on its port.
  cc.json_of(http::Verb::patch, "/v3/apps/" + app + "/relationships/current_droplet", admin,
             R"({"data": {"guid": ")" + droplet + R"("}})");
  auto started = cc.json_of(http::Verb::post, "/v3/apps/" + app + "/actions/start", admin);
  CHECK(std::string(started["state"].GetString()) == "STARTED");
  REQUIRE(eventually([&] { return all_are(states(cc, admin, web), "RUNNING", 1); }, 90s));
  auto desired = bbs.post_json("/v1/desired_lrps/list", R"({"domain": "cf-apps"})");
  REQUIRE(desired["desired_lrps"].Size() == 1);
  std::string lrp = desired["desired_lrps"][0]["process_guid"].GetString();
  CHECK(lrp.rfind(web + "-", 0) == 0);
  CHECK(std::string(
            desired["desired_lrps"][0]["routes"]["cf-router"][0]["hostnames"][0].GetString()) ==
        "hello.apps.localhost");
  auto instances = actual_lrps(bbs, lrp);
  REQUIRE(instances.size() == 1);
  CHECK(http_status(instances[0].host_port, "/index.html") == 200);
  // The app saw the environment Cloud Foundry gives: its own variables and VCAP_APPLICATION.
  {
    BlockingClient client(instances[0].host_port);
    http::Request req{http::Verb::get, "/env.txt", 11};
    req.set(http::bhttp::field::host, "127.0.0.1");
    auto env = client.request(std::move(req));
    CHECK(env.body().find("GREETING=hi") != std::string::npos);
    CHECK(env.body().find("FROM_GROUP=yes") != std::string::npos);
    CHECK(env.body().find(R"("credentials":{"uri":"pg://db"})") != std::string::npos);
    CHECK(env.body().find("\"application_name\":\"hello\"") != std::string::npos);
    CHECK(env.body().find("\"space_name\":\"dev\"") != std::string::npos);
    CHECK(env.body().find("MEMORY_LIMIT=64m") != std::string::npos);
    CHECK(env.body().find("\"application_uris\":[\"hello.apps.localhost\"]") != std::string::npos);
  }

  // Unmapping the route takes it off the running instances' desired LRP.
  auto dests = cc.json_of(http::Verb::get, "/v3/routes/" + route + "/destinations", admin);
  std::string dest = dests["destinations"][0]["guid"].GetString();
  CHECK(cc.call(http::Verb::delete_, "/v3/routes/" + route + "/destinations/" + dest, admin)
            .result() == http::StatusCode::no_content);
  auto after = bbs.post_json("/v1/desired_lrps/get_by_process_guid",
                             R"({"process_guid": ")" + lrp + R"("})");
  CHECK(after["desired_lrp"]["routes"]["cf-router"].Size() == 0);

  // An instance that dies is restarted, and the app's events say it crashed.
  pid_t pid = pid_listening_on(instances[0].host_port);
  REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  std::string crash;
  bool reported = eventually(
      [&] {
        auto events =
            cc.json_of(http::Verb::get,
                       "/v3/audit_events?types=audit.app.process.crash&target_guids=" + app, admin);
        if (events["resources"].Size() == 0) return false;
        crash = events["resources"][0]["data"]["exit_description"].GetString();
        return true;
      },
      60s);
  INFO(output());
  REQUIRE(reported);
  CHECK(crash.find("Exited with status 137") != std::string::npos);
  REQUIRE(eventually([&] { return all_are(states(cc, admin, web), "RUNNING", 1); }, 60s));

  // Stats carry what the instance uses, from the container metrics its cell sends.
  std::int64_t memory = 0;
  bool measured = eventually(
      [&] {
        auto stats = cc.json_of(http::Verb::get, "/v3/processes/" + web + "/stats", admin);
        const auto& usage = stats["resources"][0]["usage"];
        if (!usage.HasMember("mem")) return false;
        memory = usage["mem"].GetInt64();
        return memory > 0 && std::string(usage["time"].GetString()).size() == 20;
      },
      30s, 500ms);
  INFO(logstore.process().output());
  CHECK(measured);
  CHECK(memory < 64LL * 1024 * 1024);

  // The app's logs have the API's lines about it, as `cf logs` shows them.
  std::string api_lines;
  bool logged = eventually(
      [&] {
        BlockingClient client(logstore_port);
        http::Request req{http::Verb::get, "/api/v1/read/" + app + "?envelope_types=LOG&limit=1000",
                          11};
        req.set(http::bhttp::field::authorization, "bearer " + admin);
        auto envelopes = loggregator::decode_read_response(client.request(std::move(req)).body());
        if (!envelopes) return false;
        api_lines.clear();
        for (const auto& e : *envelopes) {
          if (e.log() != nullptr && e.tags.count("source_type") &&
              e.tags.at("source_type") == "API") {
            api_lines += e.log()->payload + "\n";
          }
        }
        return api_lines.find("Created app with guid " + app) != std::string::npos &&
               api_lines.find("App instance exited with guid " + app) != std::string::npos;
      },
      20s, 250ms);
  INFO(api_lines.substr(0, 4000));
  CHECK(logged);

  // Scale to 3: three instances run.
  cc.json_of(http::Verb::post, "/v3/apps/" + app + "/processes/web/actions/scale", admin,
             R"({"instances": 3})");
  std::vector<std::string> seen;
  bool three = eventually(
      [&] {
        seen = states(cc, admin, web);
        return all_are(seen, "RUNNING", 3);
      },
      90s);
  INFO(join(seen) << "\n" << describe(actual_lrps(bbs, lrp)));
  REQUIRE(three);
  CHECK(actual_lrps(bbs, lrp).size() == 3);

  // Stop: nothing runs, and the stats say DOWN.
  cc.json_of(http::Verb::post, "/v3/apps/" + app + "/actions/stop", admin);
  CHECK(all_are(states(cc, admin, web), "DOWN", 3));
  CHECK(eventually(
      [&] {
        return bbs.post_json("/v1/desired_lrps/list", R"({"domain": "cf-apps"})")["desired_lrps"]
                       .Size() == 0 &&
               actual_lrps(bbs, lrp).empty();
      },
      60s));

  // An app no buildpack detects: the build fails with the reason the cf CLI recognises.
  cc::bits::testing::ZipBuilder()
      .file("README", "no Procfile here\n")
      .write(work.path() / "bad.zip");
  std::string bad = guid_of(cc.json_of(
      http::Verb::post, "/v3/packages", admin,
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
  REQUIRE(cc.call(http::Verb::post, "/v3/packages/" + bad + "/upload", admin,
                  upload_body(read_file(work.path() / "bad.zip"), "b"),
                  "multipart/form-data; boundary=b")
              .result() == http::StatusCode::ok);
  std::string failed_build = guid_of(cc.json_of(http::Verb::post, "/v3/builds", admin,
                                                R"({"package": {"guid": ")" + bad + R"("}})"));
  std::string error;
  REQUIRE(eventually(
      [&] {
        auto b = cc.json_of(http::Verb::get, "/v3/builds/" + failed_build, admin);
        if (std::string(b["state"].GetString()) != "FAILED") return false;
        error = b["error"].GetString();
        return true;
      },
      120s, 500ms));
  CHECK(error.rfind("NoAppDetectedError", 0) == 0);
}
