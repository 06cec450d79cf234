#include "diego/lifecycle/healthcheck/options.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace cupola::lifecycle;

namespace {

cupola::Result<HealthcheckArgs> parse(std::vector<std::string_view> args) {
  return parse_healthcheck_args(args);
}

std::string error_of(std::vector<std::string_view> args) {
  auto r = parse_healthcheck_args(args);
  REQUIRE_FALSE(r.ok());
  return r.error().message;
}

}  // namespace

TEST_CASE("cupola-healthcheck flags") {
  SECTION("when only the port is given, one TCP check of 127.0.0.1 with a 1s limit") {
    auto r = parse({"--port", "8080"});
    REQUIRE(r.ok());
    const auto& o = r->options;
    CHECK(o.port == 8080);
    CHECK(o.host == "127.0.0.1");
    CHECK(o.uri.empty());
    CHECK(o.timeout == 1s);
    CHECK(o.mode == CheckMode::Once);
    CHECK(o.startup_timeout == 60s);
    CHECK_FALSE(r->help);
  }
  SECTION("when written the GNU way or Diego's way, the flags mean the same") {
    for (auto args : std::vector<std::vector<std::string_view>>{
             {"--port", "9000", "--uri", "/health", "--timeout", "500ms"},
             {"-port", "9000", "-uri", "/health", "-timeout", "500ms"},
             {"-port=9000", "-uri=/health", "-timeout=500ms"},
             {"--port=9000", "--uri=/health", "--timeout=500ms"},
         }) {
      auto r = parse(args);
      REQUIRE(r.ok());
      CHECK(r->options.port == 9000);
      CHECK(r->options.uri == "/health");
      CHECK(r->options.timeout == 500ms);
    }
  }
  SECTION("when a mode flag is given, it sets the mode and its interval") {
    auto until =
        parse({"--port", "1", "--until-ready-interval", "100ms", "--startup-timeout", "2m0s"});
    REQUIRE(until.ok());
    CHECK(until->options.mode == CheckMode::UntilReady);
    CHECK(until->options.interval == 100ms);
    CHECK(until->options.startup_timeout == 2min);

    auto startup = parse({"--port", "1", "-startup-interval=2s"});
    REQUIRE(startup.ok());
    CHECK(startup->options.mode == CheckMode::UntilReady);
    CHECK(startup->options.interval == 2s);

    auto liveness = parse({"--port", "1", "--liveness-interval", "30s"});
    REQUIRE(liveness.ok());
    CHECK(liveness->options.mode == CheckMode::Liveness);
    CHECK(liveness->options.interval == 30s);

    auto readiness = parse({"--port", "1", "--readiness-interval", "5s"});
    REQUIRE(readiness.ok());
    CHECK(readiness->options.mode == CheckMode::Readiness);
  }
  SECTION("when an interval is zero, its mode stays off, as in Diego") {
    auto r = parse({"--port", "1", "--liveness-interval", "0s", "--until-ready-interval", "0"});
    REQUIRE(r.ok());
    CHECK(r->options.mode == CheckMode::Once);
  }
  SECTION("when a flag comes twice, the last one wins") {
    auto r =
        parse({"--port", "1", "--port", "2", "--liveness-interval", "1s", "-liveness-interval=3s"});
    REQUIRE(r.ok());
    CHECK(r->options.port == 2);
    CHECK(r->options.mode == CheckMode::Liveness);
    CHECK(r->options.interval == 3s);
    auto off = parse({"--port", "1", "--liveness-interval", "1s", "--liveness-interval", "0"});
    REQUIRE(off.ok());
    CHECK(off->options.mode == CheckMode::Once);
  }
  SECTION("when the host is numeric IPv4 or IPv6, it is taken") {
    CHECK(parse({"--port", "1", "--host", "10.0.0.7"})->options.host == "10.0.0.7");
    CHECK(parse({"--port", "1", "--host", "::1"})->options.host == "::1");
  }
  SECTION("when help is asked for, nothing else matters") {
    CHECK(parse({"--help"})->help);
    CHECK(parse({"-h", "--bogus"})->help);
  }
  SECTION("when usage is wrong, the error names the flag as written") {
    CHECK(error_of({}) == "missing required flag --port");
    CHECK(error_of({"--port"}) == "flag needs an argument: --port");
    CHECK(error_of({"-port", "1", "-uri"}) == "flag needs an argument: -uri");
    CHECK(error_of({"--port", "1", "--bogus", "x"}) == "flag provided but not defined: --bogus");
    CHECK(error_of({"-network=tcp", "--port", "1"}) == "flag provided but not defined: -network");
    CHECK(error_of({"--port", "http"}) ==
          "invalid value \"http\" for flag --port: not a port number (1-65535)");
    CHECK(error_of({"--port", "0"}) ==
          "invalid value \"0\" for flag --port: not a port number (1-65535)");
    CHECK(error_of({"--port=65536"}) ==
          "invalid value \"65536\" for flag --port: not a port number (1-65535)");
    CHECK(error_of({"--port", "1", "--timeout", "5"}) ==
          "invalid value \"5\" for flag --timeout: missing unit in duration \"5\"");
    CHECK(error_of({"--port", "1", "-timeout=0s"}) ==
          "invalid value \"0s\" for flag -timeout: must be greater than 0");
    CHECK(error_of({"--port", "1", "--startup-timeout", "-1s"}) ==
          "invalid value \"-1s\" for flag --startup-timeout: negative value in duration \"-1s\"");
    CHECK(error_of({"--port", "1", "--host", "localhost"}) ==
          "invalid value \"localhost\" for flag --host: not a numeric IPv4 or IPv6 address");
    CHECK(error_of({"--port", "1", "--uri", "health"}) ==
          "invalid value \"health\" for flag --uri: must be a path starting with '/', without "
          "spaces");
    CHECK(error_of({"--port", "1", "--uri", "/a b"}).find("for flag --uri") != std::string::npos);
    CHECK(error_of({"--port", "1", "extra"}) == "unexpected argument \"extra\"");
    CHECK(error_of({"--port", "1", "--", "extra"}) == "unexpected argument \"extra\"");
    CHECK(error_of({"--port", "1", "--liveness-interval", "1s", "-until-ready-interval=1s"}) ==
          "flags --liveness-interval and -until-ready-interval cannot be used together: choose "
          "one mode");
  }
  SECTION("when the usage is printed, it lists every flag") {
    auto usage = healthcheck_usage("cupola-healthcheck");
    CHECK(usage.rfind(healthcheck_synopsis("cupola-healthcheck") + "\n", 0) == 0);
    for (const char* flag :
         {"--port", "--uri", "--host", "--timeout", "--until-ready-interval", "--startup-interval",
          "--startup-timeout", "--liveness-interval", "--readiness-interval"}) {
      CHECK(usage.find(flag) != std::string::npos);
    }
  }
}
