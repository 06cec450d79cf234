// cupola-healthcheck run as a process against real sockets on 127.0.0.1.

#include <elf.h>

#include <fstream>

#include <catch2/catch.hpp>

#include "common/testing/process.h"
#include "test/diego/lifecycle/child.h"
#include "test/diego/lifecycle/sockets.h"

using namespace std::chrono_literals;
using namespace cupola::lifecycle::test;

namespace {

ChildOptions healthcheck(std::vector<std::string> args) {
  return {.path = cupola::testing::binary_path("cupola-healthcheck"), .args = std::move(args)};
}

std::string port_of(std::uint16_t port) { return std::to_string(port); }

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

#ifdef CUPOLA_LIFECYCLE_STATIC
namespace {

// Whether an ELF executable asks for a dynamic loader (a PT_INTERP program header).
bool has_interpreter(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr eh{};
  in.read(reinterpret_cast<char*>(&eh), sizeof(eh));
  REQUIRE(in);
  REQUIRE(std::string_view(reinterpret_cast<const char*>(eh.e_ident), 4) == ELFMAG);
  for (int i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph{};
    in.seekg(static_cast<std::streamoff>(eh.e_phoff + i * eh.e_phentsize));
    in.read(reinterpret_cast<char*>(&ph), sizeof(ph));
    REQUIRE(in);
    if (ph.p_type == PT_INTERP) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("the lifecycle binaries need no dynamic loader in the container") {
  CHECK_FALSE(has_interpreter(cupola::testing::binary_path("cupola-healthcheck")));
  CHECK_FALSE(has_interpreter(cupola::testing::binary_path("cupola-launcher")));
}
#endif

TEST_CASE("cupola-healthcheck checks a TCP port once") {
  SECTION("when something listens, it exits 0 and prints nothing") {
    BoundSocket app;
    app.listen();
    for (auto args : std::vector<std::vector<std::string>>{{"--port", port_of(app.port())},
                                                           {"-port", port_of(app.port())},
                                                           {"-port=" + port_of(app.port())}}) {
      auto r = run_child(healthcheck(args));
      CHECK(r.exit_code == 0);
      CHECK(r.out.empty());
      CHECK(r.err.empty());
    }
  }
  SECTION("when nothing listens, it exits 1 with the reason on stderr") {
    BoundSocket closed;  // bound, never listening: connections are refused
    auto r = run_child(healthcheck({"--port", port_of(closed.port())}));
    CHECK(r.exit_code == 1);
    CHECK(r.err == "Failed to make TCP connection to port " + port_of(closed.port()) +
                       ": connection refused\n");
    CHECK(r.out.empty());
  }
}

TEST_CASE("cupola-healthcheck checks an HTTP endpoint once") {
  SECTION("when the app answers 200, it exits 0") {
    TestHttpServer app([](int) { return 200; });
    auto r = run_child(healthcheck({"--port", port_of(app.port()), "--uri", "/health"}));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    auto heads = app.request_heads();
    REQUIRE(heads.size() == 1);
    CHECK(starts_with(heads[0], "GET /health HTTP/1.1\r\n"));
    CHECK(heads[0].find("\r\nHost: 127.0.0.1:" + port_of(app.port()) + "\r\n") !=
          std::string::npos);
    CHECK(heads[0].find("\r\nConnection: close\r\n") != std::string::npos);
  }
  SECTION("when the app answers 500, it exits 1 naming the status") {
    TestHttpServer app([](int) { return 500; });
    auto r = run_child(healthcheck({"--port", port_of(app.port()), "--uri", "/health"}));
    CHECK(r.exit_code == 1);
    INFO(r.err);
    CHECK(starts_with(r.err, "Failed to make HTTP request to '/health' on port " +
                                 port_of(app.port()) + ": received status code 500 in "));
    CHECK(r.err.size() > 3);
    CHECK(r.err.substr(r.err.size() - 3) == "ms\n");
  }
  SECTION("when the app accepts but never answers, it exits 1 once the timeout passes") {
    BoundSocket app;
    app.listen();  // the kernel accepts into the backlog; nobody reads or answers
    auto r =
        run_child(healthcheck({"--port", port_of(app.port()), "--uri", "/", "--timeout", "300ms"}));
    CHECK(r.exit_code == 1);
    CHECK(r.err == "Failed to make HTTP request to '/' on port " + port_of(app.port()) +
                       ": timed out after 0.30 seconds\n");
    CHECK(r.elapsed >= 300ms);
  }
  SECTION("when nothing listens, it exits 1 saying so") {
    BoundSocket closed;
    auto r = run_child(healthcheck({"--port", port_of(closed.port()), "--uri", "/health"}));
    CHECK(r.exit_code == 1);
    CHECK(r.err == "Failed to make HTTP request to '/health' on port " + port_of(closed.port()) +
                       ": connection refused\n");
  }
}

TEST_CASE("cupola-healthcheck waits until the app is ready") {
  SECTION("when the app starts listening later, it exits 0 then") {
    BoundSocket app;  // refusing until listen()
    Child child(healthcheck({"--port", port_of(app.port()), "--until-ready-interval", "50ms",
                             "--startup-timeout", "20s"}));
    REQUIRE(child.still_running_after(200ms));
    app.listen();
    auto r = child.wait(10s);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  }
  SECTION("when the app answers 200 only from its third request, it exits 0 after three") {
    TestHttpServer app([](int n) { return n < 3 ? 503 : 200; });
    auto r = run_child(healthcheck({"--port", port_of(app.port()), "--uri", "/ready",
                                    "-startup-interval=20ms", "--startup-timeout", "20s"}));
    CHECK(r.exit_code == 0);
    CHECK(app.requests() == 3);
  }
  SECTION("when the app never listens, it gives up after the startup timeout") {
    BoundSocket closed;
    auto r = run_child(healthcheck({"--port", port_of(closed.port()), "--until-ready-interval",
                                    "50ms", "--startup-timeout", "300ms"}));
    CHECK(r.exit_code == 1);
    CHECK(r.elapsed >= 300ms);
    INFO(r.err);
    CHECK(starts_with(r.err, "Timed out after 300ms ("));
    const std::string tail =
        " attempts) waiting for startup check to succeed: Failed to make "
        "TCP connection to port " +
        port_of(closed.port()) + ": connection refused\n";
    REQUIRE(r.err.size() > tail.size());
    CHECK(r.err.substr(r.err.size() - tail.size()) == tail);
  }
}

TEST_CASE("cupola-healthcheck watches a live app") {
  SECTION("when the app stops listening, it exits 1 with the liveness failure") {
    auto app = std::make_unique<BoundSocket>();
    app->listen();
    const auto port = app->port();
    Child child(healthcheck({"--port", port_of(port), "--liveness-interval", "50ms"}));
    REQUIRE(child.still_running_after(200ms));
    app.reset();
    auto r = child.wait(10s);
    CHECK(r.exit_code == 1);
    CHECK(r.err == "Liveness check unsuccessful: Failed to make TCP connection to port " +
                       port_of(port) + ": connection refused\n");
  }
  SECTION("when an HTTP app starts failing, it exits 1 with the status") {
    TestHttpServer app([](int n) { return n < 4 ? 200 : 500; });
    auto r = run_child(healthcheck(
        {"--port", port_of(app.port()), "--uri", "/health", "--readiness-interval", "20ms"}));
    CHECK(r.exit_code == 1);
    CHECK(app.requests() == 4);
    CHECK(starts_with(r.err,
                      "Readiness check unsuccessful: Failed to make HTTP request to "
                      "'/health' on port " +
                          port_of(app.port()) + ": received status code 500 in "));
  }
}

TEST_CASE("cupola-healthcheck usage") {
  SECTION("when the port is missing, it exits 2 naming --port") {
    auto r = run_child(healthcheck({}));
    CHECK(r.exit_code == 2);
    CHECK(starts_with(r.err, "cupola-healthcheck: missing required flag --port\nUsage: "));
    CHECK(r.out.empty());
  }
  SECTION("when a flag is unknown or its value bad, it exits 2 naming that flag") {
    auto unknown = run_child(healthcheck({"--port", "8080", "--bogus", "1"}));
    CHECK(unknown.exit_code == 2);
    CHECK(starts_with(unknown.err, "cupola-healthcheck: flag provided but not defined: --bogus\n"));
    auto bad = run_child(healthcheck({"--port", "8080", "-timeout=soon"}));
    CHECK(bad.exit_code == 2);
    CHECK(starts_with(bad.err, "cupola-healthcheck: invalid value \"soon\" for flag -timeout: "));
  }
  SECTION("when help is asked for, it prints the usage on stdout and exits 0") {
    auto r = run_child(healthcheck({"--help"}));
    CHECK(r.exit_code == 0);
    CHECK(starts_with(r.out, "Usage: cupola-healthcheck --port PORT"));
    CHECK(r.err.empty());
  }
}
