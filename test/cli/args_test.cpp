// Flag parsing and its cf CLI words, and the config file the CLI keeps between commands.
#include "cli/src/args.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "cli/src/config.h"
#include "common/testing/temp_dir.h"

using namespace cupola::cli;

namespace {

CommandSpec scale_spec() {
  return {.name = "scale",
          .summary = "Change or view the instance count",
          .usage = "cupola scale APP_NAME [-i INSTANCES]",
          .required_args = {"APP_NAME"},
          .flags = {{"i", 'i', "INSTANCES", "Number of instances", false, 0},
                    {"m", 'm', "MEMORY", "Memory limit"},
                    {"b", 'b', "BUILDPACK", "Buildpack", true},
                    {"f", 'f', "", "Force"},
                    {"r", 'r', "", "Routes"},
                    {"no-route", 0, "", "No route"}}};
}

}  // namespace

TEST_CASE("flags and arguments parse as the cf CLI takes them") {
  Parsed p;
  SECTION("when flags come in every form, each value lands under its long name") {
    REQUIRE_FALSE(parse_args(
        scale_spec(), {"web", "-i", "3", "-m512M", "--b=a", "-b", "b", "-fr", "--no-route"}, p));
    CHECK(p.args == std::vector<std::string>{"web"});
    CHECK(p.value("i") == "3");
    CHECK(p.value("m") == "512M");
    CHECK(p.values("b") == std::vector<std::string>{"a", "b"});
    CHECK(p.has("f"));
    CHECK(p.has("r"));
    CHECK(p.has("no-route"));
  }
  SECTION("when -- is given, what follows is an argument even with a dash") {
    REQUIRE_FALSE(parse_args(scale_spec(), {"--", "-web"}, p));
    CHECK(p.arg(0) == "-web");
  }
  SECTION("when -v is given to any command, it is the trace flag") {
    REQUIRE_FALSE(parse_args(scale_spec(), {"web", "-v"}, p));
    CHECK(p.has("verbose"));
  }
  SECTION("when the user errs, the words are the cf CLI's") {
    CHECK(parse_args(scale_spec(), {}, p) ==
          "Incorrect Usage: the required argument `APP_NAME` was not provided");
    CHECK(parse_args(scale_spec(), {"web", "--bogus"}, p) ==
          "Incorrect Usage: unknown flag `bogus'");
    CHECK(parse_args(scale_spec(), {"web", "-z"}, p) == "Incorrect Usage: unknown flag `z'");
    CHECK(parse_args(scale_spec(), {"web", "-i"}, p) ==
          "Incorrect Usage: expected argument for flag `-i'");
    CHECK(parse_args(scale_spec(), {"web", "-i", "many"}, p) ==
          "Incorrect Usage: invalid argument for flag `-i' (expected int >= 0)");
    CHECK(parse_args(scale_spec(), {"web", "other"}, p) ==
          "Incorrect Usage: unexpected argument \"other\"");
    CHECK(parse_args(scale_spec(), {"web", "--no-route=yes"}, p) ==
          "Incorrect Usage: bool flag `--no-route' cannot have an argument");
  }
  SECTION("when help is asked, the missing argument is no mistake and the help lists the flags") {
    REQUIRE_FALSE(parse_args(scale_spec(), {"--help"}, p));
    CHECK(p.has("help"));
    std::string help = help_text(scale_spec());
    CHECK_THAT(help, Catch::StartsWith("NAME:\n   scale - Change or view the instance count\n"));
    CHECK_THAT(help, Catch::Contains("USAGE:\n   cupola scale APP_NAME [-i INSTANCES]\n"));
    CHECK_THAT(help, Catch::Contains("   -i INSTANCES   Number of instances\n"));
    CHECK_THAT(help, Catch::Contains("   --no-route     No route\n"));
  }
}

TEST_CASE("the config keeps the session between commands, readable only by its owner") {
  cupola::testing::TempDir dir{"cli-config"};
  auto empty = load_config(dir.path() / ".cupola");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->logged_in());

  Config c;
  c.api = "https://api.example.com";
  c.access_token = "a.eyJ1c2VyX25hbWUiOiJhZG1pbiIsInVzZXJfaWQiOiJ1LTEiLCJleHAiOjQxMDI0NDQ4MDB9.s";
  c.refresh_token = "r";
  c.org_guid = "o-1";
  c.org_name = "acme";
  c.space_guid = "s-1";
  c.space_name = "dev";
  REQUIRE(save_config(dir.path() / ".cupola", c).ok());
  struct stat st {};
  REQUIRE(::stat((dir.path() / ".cupola/config.json").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto back = load_config(dir.path() / ".cupola");
  REQUIRE(back.ok());
  CHECK(back->api == c.api);
  CHECK(back->space_name == "dev");
  CHECK(user_of_token(back->access_token) == "admin");
  CHECK(user_id_of_token(back->access_token) == "u-1");
  CHECK(expiry_of_token(back->access_token) == 4102444800);

  std::ofstream(dir.path() / ".cupola/config.json") << "{not json";
  auto broken = load_config(dir.path() / ".cupola");
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.error().message, Catch::Contains("is not valid JSON"));
}
