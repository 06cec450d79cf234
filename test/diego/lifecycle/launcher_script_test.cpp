#include "diego/lifecycle/launcher/script.h"

#include <catch2/catch.hpp>

using namespace cupola::lifecycle;

TEST_CASE("quoting for bash") {
  CHECK(shell_single_quote("") == "''");
  CHECK(shell_single_quote("plain") == "'plain'");
  CHECK(shell_single_quote("it's") == "'it'\\''s'");
  CHECK(shell_single_quote("$HOME \"x\" `y` \\n") == "'$HOME \"x\" `y` \\n'");
}

TEST_CASE("the launcher's bash program") {
  const std::string script = launcher_script();
  auto at = [&](std::string_view needle) {
    auto pos = script.find(needle);
    INFO(needle);
    REQUIRE(pos != std::string::npos);
    return pos;
  };

  SECTION("when run, it enters the app dir, then sources profiles in order, then execs") {
    auto cd = at("cd \"$1\" || exit 1\n");
    auto pre = at("echo 'Invoking pre-start scripts.'\n");
    auto profiles = at("for cupola_profile in ../profile.d/* .profile.d/*; do\n");
    auto profile = at("source .profile\n");
    auto start = at("echo 'Invoking start command.'\n");
    auto exec = at("exec bash -c \"$@\"\n");
    CHECK(cd < pre);
    CHECK(pre < profiles);
    CHECK(profiles < profile);
    CHECK(profile < start);
    CHECK(start < exec);
  }
  SECTION("when given a command, the command is an argument, never part of the program") {
    auto argv = launcher_argv("/tmp/lifecycle/launcher", "/home/vcap/app", "echo 'it''s' $PORT");
    CHECK(argv == std::vector<std::string>{"bash", "-c", script, "/tmp/lifecycle/launcher",
                                           "/home/vcap/app", "echo 'it''s' $PORT"});
  }
}
