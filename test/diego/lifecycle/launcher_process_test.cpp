// cupola-launcher run as a process on a droplet laid out in a temp dir as in a container:
// <root>/app (the app), <root>/profile.d, <root>/staging_info.yml; run from <root>.

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

#include "common/testing/process.h"
#include "common/testing/temp_dir.h"
#include "test/diego/lifecycle/child.h"

using namespace std::chrono_literals;
using namespace cupola::lifecycle::test;
using cupola::testing::TempDir;

namespace {

struct Droplet {
  TempDir root{"launcher"};
  std::string app = (root / "app").string();

  Droplet() { std::filesystem::create_directories(app); }

  ChildOptions launch(std::vector<std::string> args) const {
    return {.path = cupola::testing::binary_path("cupola-launcher"),
            .args = std::move(args),
            .unset_env = {"DATABASE_URL", "VCAP_SERVICES", "VCAP_APPLICATION"},
            .working_dir = root.path().string()};
  }
};

constexpr std::string_view kPreStart = "Invoking pre-start scripts.\n";
constexpr std::string_view kStart = "Invoking start command.\n";

std::string launched(std::string_view app_output) {
  return std::string(kPreStart) + std::string(kStart) + std::string(app_output);
}

}  // namespace

TEST_CASE("cupola-launcher starts the app with its profile") {
  Droplet d;
  d.root.write_file("profile.d/a.sh", "echo sourcing a.sh\nexport A=1\n");
  d.root.write_file("app/.profile.d/x.sh", "echo sourcing x.sh\nexport GREETING=\"hello $A\"\n");
  d.root.write_file("app/.profile.d/y.sh", "echo sourcing y.sh\n");
  d.root.write_file("app/.profile", "echo sourcing .profile\nexport C=\"$GREETING!\"\n");
  const std::string root = d.root.path().string();

  SECTION("when run, it sources ../profile.d, .profile.d and .profile in order, in the app dir") {
    auto r = run_child(d.launch({"app",
                                 "echo \"c=$C\"; echo \"pwd=$PWD\"; echo \"home=$HOME\"; "
                                 "echo \"tmpdir=$TMPDIR\"; echo \"deps=$DEPS_DIR\""}));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out == std::string(kPreStart) +
                       "sourcing a.sh\nsourcing x.sh\nsourcing y.sh\nsourcing .profile\n" +
                       std::string(kStart) + "c=hello 1!\npwd=" + d.app + "\nhome=" + d.app +
                       "\ntmpdir=" + root + "/tmp\ndeps=" + root + "/deps\n");
  }
  SECTION("when given an absolute app dir, it does the same from anywhere") {
    auto options = d.launch({d.app, "echo \"$C\""});
    options.working_dir = "/";
    auto r = run_child(options);
    CHECK(r.exit_code == 0);
    CHECK(r.out.substr(r.out.size() - 9) == "hello 1!\n");
  }
}

TEST_CASE("cupola-launcher hands its process to the app") {
  Droplet d;
  SECTION("when the app reports its pid, it is the launcher's") {
    Child child(d.launch({"app", "echo \"pid=$$\""}));
    auto r = child.wait(10s);
    CHECK(r.exit_code == 0);
    CHECK(r.out == launched("pid=" + std::to_string(child.pid()) + "\n"));
  }
  SECTION("when the app exits, its status is the launcher's") {
    auto r = run_child(d.launch({"app", "echo failing >&2; exit 7"}));
    CHECK(r.exit_code == 7);
    CHECK(r.err == "failing\n");
  }
  SECTION("when the command holds quotes and dollars, bash sees it as written") {
    auto r = run_child(d.launch({"app", R"(printf '%s|%s\n' "it's" 'a "b" $HOME \n')"}));
    CHECK(r.exit_code == 0);
    CHECK(r.out == launched(R"(it's|a "b" $HOME \n)"
                            "\n"));
  }
  SECTION("when execution metadata is passed, it is accepted and ignored") {
    auto r = run_child(d.launch({"app", "echo ok", R"({"start_command":"echo other"})"}));
    CHECK(r.exit_code == 0);
    CHECK(r.out == launched("ok\n"));
  }
}

TEST_CASE("cupola-launcher falls back to the staged start command") {
  Droplet d;
  SECTION("when staging_info.yml is JSON, its start_command runs") {
    d.root.write_file("staging_info.yml",
                      R"({"detected_buildpack":"","start_command":"echo \"from json\""})");
    auto r = run_child(d.launch({"app", ""}));
    CHECK(r.exit_code == 0);
    CHECK(r.out == launched("from json\n"));
  }
  SECTION("when staging_info.yml is YAML, its start_command runs") {
    d.root.write_file("staging_info.yml", "detected_buildpack: Ruby\nstart_command: echo yaml\n");
    auto r = run_child(d.launch({"app", ""}));
    CHECK(r.exit_code == 0);
    CHECK(r.out == launched("yaml\n"));
  }
  SECTION("when a command is given, it wins over staging_info.yml") {
    d.root.write_file("staging_info.yml", "start_command: echo staged\n");
    auto r = run_child(d.launch({"app", "echo given"}));
    CHECK(r.out == launched("given\n"));
  }
  SECTION("when there is no start command anywhere, it exits 1 saying so") {
    d.root.write_file("staging_info.yml", "detected_buildpack: Ruby\n");
    auto options = d.launch({"app", ""});
    options.argv0 = "launcher";
    auto r = run_child(options);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "launcher: no start command specified or detected in droplet\n");
  }
  SECTION("when staging_info.yml does not parse, it exits 1 saying so") {
    d.root.write_file("staging_info.yml", "{\"start_command\": ");
    auto r = run_child(d.launch({"app", ""}));
    CHECK(r.exit_code == 1);
    CHECK(r.err.rfind("Invalid staging info - failed to parse " + d.root.path().string() +
                          "/staging_info.yml: invalid JSON at offset",
                      0) == 0);
  }
}

TEST_CASE("cupola-launcher sets the app's service environment") {
  Droplet d;
  SECTION("when VCAP_SERVICES has a MySQL URI, DATABASE_URL is it with the mysql2 scheme") {
    auto options = d.launch({"app", "echo \"$DATABASE_URL\""});
    options.env = {
        {"VCAP_SERVICES", R"({"cleardb":[{"credentials":{"uri":"mysql://u:p@db:3306/a"}}]})"},
        {"DATABASE_URL", "original"}};
    auto r = run_child(options);
    CHECK(r.out == launched("mysql2://u:p@db:3306/a\n"));
  }
  SECTION("when VCAP_APPLICATION is set, it gains the instance's host, port and index") {
    auto options = d.launch({"app", "echo \"$VCAP_APPLICATION\""});
    options.env = {{"VCAP_APPLICATION", R"({"application_name":"web"})"},
                   {"PORT", "61001"},
                   {"INSTANCE_INDEX", "2"},
                   {"INSTANCE_GUID", "abc-123"}};
    auto r = run_child(options);
    REQUIRE(r.out.rfind(launched(""), 0) == 0);
    rapidjson::Document doc;
    doc.Parse(r.out.substr(launched("").size()).c_str());
    REQUIRE(doc.IsObject());
    CHECK(std::string(doc["application_name"].GetString()) == "web");
    CHECK(std::string(doc["host"].GetString()) == "0.0.0.0");
    CHECK(doc["port"].GetInt() == 61001);
    CHECK(doc["instance_index"].GetInt() == 2);
    CHECK(std::string(doc["instance_id"].GetString()) == "abc-123");
  }
}

TEST_CASE("cupola-launcher usage") {
  Droplet d;
  SECTION("when arguments are missing, it exits 1 with the usage") {
    auto options = d.launch({"app"});
    options.argv0 = "launcher";
    auto r = run_child(options);
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "launcher: received only 1 arguments\n"
          "Usage: launcher <app-directory> <start-command> [<metadata>]\n");
  }
  SECTION("when the app dir does not exist, it exits 1 naming it") {
    auto r = run_child(d.launch({"missing", "echo never"}));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("app directory " + d.root.path().string() +
                     "/missing: No such file or directory\n") != std::string::npos);
  }
}
