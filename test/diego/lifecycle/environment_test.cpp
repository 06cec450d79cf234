#include "diego/lifecycle/launcher/environment.h"

#include <map>

#include <rapidjson/document.h>

#include <catch2/catch.hpp>

using namespace cupola::lifecycle;

namespace {

EnvLookup lookup(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, std::string> as_map(const std::vector<EnvSetting>& settings) {
  std::map<std::string, std::string> out;
  for (const auto& s : settings) out[s.name] = s.value;
  return out;
}

}  // namespace

TEST_CASE("cleaning paths lexically") {
  CHECK(clean_path("/home/vcap/app/../tmp") == "/home/vcap/tmp");
  CHECK(clean_path("/home//vcap/./app/") == "/home/vcap/app");
  CHECK(clean_path("/..") == "/");
  CHECK(clean_path("/../a") == "/a");
  CHECK(clean_path("a/../..") == "..");
  CHECK(clean_path("../a/./b/..") == "../a");
  CHECK(clean_path("") == ".");
  CHECK(clean_path("a/..") == ".");
  CHECK(absolute_path("/home/vcap", "app") == "/home/vcap/app");
  CHECK(absolute_path("/home/vcap", "./app/") == "/home/vcap/app");
  CHECK(absolute_path("/home/vcap", "/srv/app") == "/srv/app");
  CHECK(absolute_path("/", "..") == "/");
}

TEST_CASE("the environment the app starts with") {
  SECTION("when nothing else is set, HOME, TMPDIR and DEPS_DIR follow the app dir") {
    auto env = as_map(launch_environment("/home/vcap/app", lookup({})));
    CHECK(env == std::map<std::string, std::string>{{"HOME", "/home/vcap/app"},
                                                    {"TMPDIR", "/home/vcap/tmp"},
                                                    {"DEPS_DIR", "/home/vcap/deps"}});
  }
  SECTION("when VCAP_SERVICES names a database, DATABASE_URL replaces any earlier value") {
    auto env = as_map(launch_environment(
        "/home/vcap/app",
        lookup({{"DATABASE_URL", "original"},
                {"VCAP_SERVICES", R"({"db":[{"credentials":{"uri":"mysql://u:p@h/d"}}]})"}})));
    CHECK(env["DATABASE_URL"] == "mysql2://u:p@h/d");
  }
  SECTION("when VCAP_SERVICES names no database, DATABASE_URL is left alone") {
    auto env = as_map(launch_environment(
        "/home/vcap/app", lookup({{"VCAP_SERVICES", R"({"x":[{"credentials":{}}]})"}})));
    CHECK(env.count("DATABASE_URL") == 0);
  }
  SECTION("when VCAP_APPLICATION is a JSON object, it gains the instance's address") {
    auto env = as_map(launch_environment(
        "/home/vcap/app", lookup({{"VCAP_APPLICATION", R"({"foo":1,"host":"old","port":1})"},
                                  {"PORT", "8080"},
                                  {"INSTANCE_INDEX", "123"},
                                  {"INSTANCE_GUID", "some-instance-guid"}})));
    rapidjson::Document doc;
    doc.Parse(env["VCAP_APPLICATION"].c_str());
    REQUIRE(doc.IsObject());
    CHECK(doc["foo"].GetInt() == 1);
    CHECK(std::string(doc["host"].GetString()) == "0.0.0.0");
    CHECK(doc["port"].GetInt() == 8080);
    CHECK(doc["instance_index"].GetInt() == 123);
    CHECK(std::string(doc["instance_id"].GetString()) == "some-instance-guid");
    CHECK(doc.MemberCount() == 5);
  }
  SECTION("when PORT and INSTANCE_INDEX are not integers, they are left out") {
    auto munged = munge_vcap_application("{}", lookup({{"PORT", "80a"}, {"INSTANCE_INDEX", ""}}));
    CHECK(munged == R"({"host":"0.0.0.0","instance_id":""})");
    CHECK(munge_vcap_application("{}", lookup({{"PORT", "+8080"}})) ==
          R"({"host":"0.0.0.0","instance_id":"","port":8080})");
  }
  SECTION("when VCAP_APPLICATION is not a JSON object, it is not touched") {
    CHECK_FALSE(munge_vcap_application("", lookup({})));
    CHECK_FALSE(munge_vcap_application("[1]", lookup({})));
    auto env = as_map(launch_environment("/a", lookup({{"VCAP_APPLICATION", "nope"}})));
    CHECK(env.count("VCAP_APPLICATION") == 0);
  }
}
