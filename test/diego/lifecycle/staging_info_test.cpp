#include "diego/lifecycle/launcher/staging_info.h"

#include <catch2/catch.hpp>

using cupola::lifecycle::parse_staging_info;

TEST_CASE("reading staging_info.yml") {
  SECTION("when it is JSON, as the builder writes it") {
    auto r = parse_staging_info(
        R"({"detected_buildpack":"ruby","start_command":"bundle exec rackup -p $PORT","config":{"x":1}})");
    REQUIRE(r.ok());
    CHECK(r->detected_buildpack == "ruby");
    CHECK(r->start_command == "bundle exec rackup -p $PORT");
  }
  SECTION("when it is JSON after blank lines, or has a null start command") {
    auto r = parse_staging_info("\n\n  {\"start_command\": null}\n");
    REQUIRE(r.ok());
    CHECK(r->start_command.empty());
  }
  SECTION("when it is simple YAML") {
    auto r = parse_staging_info(
        "---\n"
        "# written by hand\n"
        "detected_buildpack: Ruby\n"
        "config:\n"
        "  start_command: nested, not ours\n"
        "start_command: bundle exec rackup config.ru -p $PORT # the web process\r\n");
    REQUIRE(r.ok());
    CHECK(r->detected_buildpack == "Ruby");
    CHECK(r->start_command == "bundle exec rackup config.ru -p $PORT");
  }
  SECTION("when YAML values are quoted, quotes and escapes are undone") {
    CHECK(parse_staging_info("start_command: 'echo ''hi'' #not a comment'")->start_command ==
          "echo 'hi' #not a comment");
    CHECK(parse_staging_info(R"(start_command: "echo \"a\"\tb\\")")->start_command ==
          "echo \"a\"\tb\\");
    CHECK(parse_staging_info("start_command: \"node server.js\"  # comment")->start_command ==
          "node server.js");
  }
  SECTION("when there is no start command, it is empty") {
    CHECK(parse_staging_info("detected_buildpack: Ruby\n")->start_command.empty());
    CHECK(parse_staging_info("start_command:\n")->start_command.empty());
    CHECK(parse_staging_info("")->start_command.empty());
  }
  SECTION("when it cannot be read, the error says why") {
    CHECK(parse_staging_info("{\"start_command\": ")
              .error()
              .message.rfind("invalid JSON at offset", 0) == 0);
    CHECK(parse_staging_info("{} extra").error().message ==
          "invalid JSON at offset 3: The document root must not be followed by other values.");
    CHECK(parse_staging_info(R"({"start_command": ["a"]})").error().message ==
          "start_command: expected a string");
    CHECK(parse_staging_info("start_command: |\n  rackup\n").error().message ==
          "start_command: block scalars are not supported");
    CHECK(parse_staging_info("start_command: 'open").error().message ==
          "start_command: unterminated quoted value");
    CHECK(parse_staging_info("just words").error().message ==
          "expected `key: value`, got \"just words\"");
  }
}
