#include "diego/garden/process/process_backend.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <mutex>

#include "common/core/clock.h"
#include "common/testing/temp_dir.h"
#include "diego/garden/child_process.h"
#include "test/diego/garden/output.h"

using namespace cupola;
using namespace cupola::garden;
using cupola::garden::test::Output;
using cupola::garden::test::sh;

namespace {

struct Fixture {
  testing::TempDir dir{"garden-process"};
  SystemClock clock;
  std::unique_ptr<ProcessBackend> backend;

  Fixture() {
    auto b = ProcessBackend::open({(dir / "depot").string()},
                                  log::Logger(std::make_shared<log::MemorySink>(), clock, "t"));
    REQUIRE(b.ok());
    backend = std::move(*b);
  }

  std::shared_ptr<Container> create(const std::string& handle, ContainerSpec spec = {}) {
    spec.handle = handle;
    auto c = backend->create(spec);
    REQUIRE(c.ok());
    return *c;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "a process's output and exit status come back") {
  auto c = create("c1", ContainerSpec{.env = {{"GREETING", "hello"}}});
  Output output;
  auto p = c->run(sh("echo $GREETING; echo oops >&2; exit 3"), output.io());
  REQUIRE(p.ok());
  CHECK((*p)->wait() == 3);
  CHECK(output.out == "hello\n");
  CHECK(output.err == "oops\n");
}

TEST_CASE_METHOD(Fixture, "container paths map into the container's directory") {
  auto c = create("c1");
  Output output;
  auto p = c->run(sh("echo x > $HOME/app/file && pwd && echo $HOME"), output.io());
  REQUIRE(p.ok());
  CHECK((*p)->wait() == 0);
  auto root = (dir / "depot" / "c1" / "root").string();
  CHECK(output.out == root + "/home/vcap\n" + root + "/home/vcap\n");
  CHECK(std::filesystem::exists(root + "/home/vcap/app/file"));
}

TEST_CASE_METHOD(Fixture, "signals reach the process, and on_exit reports the signal") {
  auto c = create("c1");
  Output output;
  auto p = c->run(sh("echo started; exec sleep 30"), output.io());
  REQUIRE(p.ok());
  std::promise<int> exited;
  (*p)->on_exit([&](int status) { exited.set_value(status); });
  (*p)->signal(SIGTERM);
  auto f = exited.get_future();
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(f.get() == 128 + SIGTERM);
}

TEST_CASE_METHOD(Fixture, "stream_in unpacks a tarball and copy_out copies a file out") {
  auto c = create("c1");
  auto src = dir / "src";
  std::filesystem::create_directories(src / "sub");
  dir.write_file("src/sub/hello.txt", "hello from the droplet\n");
  ChildSpec tar{.argv = {"/bin/tar", "-czf", (dir / "app.tgz").string(), "-C", src.string(), "."},
                .env = {"PATH=/usr/bin:/bin"}};
  auto packed = run_command(tar);
  REQUIRE(packed.ok());
  REQUIRE(packed->status == 0);

  REQUIRE(c->stream_in((dir / "app.tgz").string(), "/home/vcap/app").ok());
  REQUIRE(c->copy_out("/home/vcap/app/sub/hello.txt", (dir / "out.txt").string()).ok());
  CHECK(testing::read_file(dir / "out.txt") == "hello from the droplet\n");

  auto missing = c->copy_out("/home/vcap/app/nope", (dir / "nope.txt").string());
  CHECK_FALSE(missing.ok());
}

TEST_CASE_METHOD(Fixture,
                 "list finds containers again after a restart; destroy kills and removes") {
  auto c = create("c1", ContainerSpec{.properties = {{"owner", "rep-1"}}});
  Output output;
  auto p = c->run(sh("exec sleep 30"), output.io());
  REQUIRE(p.ok());

  auto again = ProcessBackend::open({(dir / "depot").string()},
                                    log::Logger(std::make_shared<log::MemorySink>(), clock, "t"));
  REQUIRE(again.ok());
  auto handles = (*again)->list();
  REQUIRE(handles.ok());
  CHECK(*handles == std::vector<std::string>{"c1"});
  auto found = (*again)->lookup("c1");
  REQUIRE(found.ok());
  CHECK((*found)->properties().at("owner") == "rep-1");

  REQUIRE(backend->destroy("c1").ok());
  CHECK((*p)->wait() == 128 + SIGKILL);
  CHECK_FALSE(std::filesystem::exists(dir / "depot" / "c1"));
  auto gone = backend->destroy("c1");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == make_error_code(Errc::NotFound));
}

TEST_CASE_METHOD(Fixture, "a second container with the same handle is a conflict") {
  create("c1");
  auto dup = backend->create(ContainerSpec{.handle = "c1"});
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == make_error_code(Errc::Conflict));
  auto bad = backend->create(ContainerSpec{.handle = "../etc"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == make_error_code(Errc::InvalidArgument));
}

TEST_CASE("a grandchild holding the pipes open does not hold up the exit") {
  ChildSpec spec{.argv = {"/bin/sh", "-c", "sleep 8 & echo parent-done"},
                 .env = {"PATH=/usr/bin:/bin"},
                 .new_process_group = true};
  auto start = std::chrono::steady_clock::now();
  auto r = run_command(spec);
  REQUIRE(r.ok());
  CHECK(r->status == 0);
  CHECK(r->output == "parent-done\n");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a program that cannot be executed is an error, not a process") {
  auto r = run_command(ChildSpec{.argv = {"/nonexistent/program"}});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("cannot start /nonexistent/program") == 0);
}

TEST_CASE_METHOD(Fixture, "bind-mounted paths inside a command line map to the host") {
  dir.write_file("lifecycle/hello", "#!/bin/sh\necho hello from the lifecycle\n");
  std::filesystem::permissions(dir / "lifecycle" / "hello", std::filesystem::perms::owner_all);
  auto c = create(
      "c1", ContainerSpec{.bind_mounts = {{(dir / "lifecycle").string(), "/tmp/lifecycle", true}}});
  Output output;
  auto p = c->run(sh("exec /tmp/lifecycle/hello"), output.io());
  REQUIRE(p.ok());
  CHECK((*p)->wait() == 0);
  CHECK(output.out == "hello from the lifecycle\n");
}
