#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <future>

#include "diego/garden/child_process.h"
#include "diego/garden/fs_util.h"
#include "test/diego/garden/runc_fixture.h"

using namespace cupola;
using namespace cupola::garden;
using namespace cupola::garden::test;

TEST_CASE_METHOD(RuncFixture, "runc: a process runs as vcap with the container's env") {
  if (!runc_tests_enabled()) return;
  auto c = create("env", ContainerSpec{.env = {{"PORT", "61001"}}});
  Output output;
  int status = run(*c, "id -u; id -un; echo $PORT; echo $HOME; pwd; hostname", output);
  INFO(output.all());
  CHECK(status == 0);
  CHECK(output.out == "2000\nvcap\n61001\n/home/vcap\n/home/vcap\n" + c->handle() + "\n");
}

TEST_CASE_METHOD(RuncFixture, "runc: exit statuses, stderr and signals come back") {
  if (!runc_tests_enabled()) return;
  auto c = create("status");
  Output output;
  CHECK(run(*c, "echo oops >&2; exit 7", output) == 7);
  CHECK(output.err == "oops\n");

  Output sleeper;
  auto p = c->run(sh("echo up; exec sleep 60"), sleeper.io());
  REQUIRE(p.ok());
  std::promise<int> exited;
  (*p)->on_exit([&](int s) { exited.set_value(s); });
  (*p)->signal(SIGKILL);
  auto f = exited.get_future();
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(f.get() == 128 + SIGKILL);
}

TEST_CASE_METHOD(RuncFixture, "runc: stream_in unpacks as vcap, copy_out reads a file back") {
  if (!runc_tests_enabled()) return;
  auto c = create("stream");
  auto src = dir / "src";
  std::filesystem::create_directories(src);
  dir.write_file("src/run.sh", "#!/bin/sh\necho droplet\n");
  std::filesystem::permissions(src / "run.sh", std::filesystem::perms::owner_all);
  auto packed = run_command(
      ChildSpec{.argv = {"/bin/tar", "-czf", (dir / "app.tgz").string(), "-C", src.string(), "."}});
  REQUIRE(packed.ok());
  REQUIRE(packed->status == 0);

  auto unpacked = c->stream_in((dir / "app.tgz").string(), "/home/vcap/app");
  INFO((unpacked.ok() ? "" : unpacked.error().message));
  REQUIRE(unpacked.ok());
  Output output;
  CHECK(run(*c, "stat -c '%u %a' /home/vcap/app/run.sh && /home/vcap/app/run.sh", output) == 0);
  INFO(output.all());
  CHECK(output.out == "2000 700\ndroplet\n");

  REQUIRE(c->copy_out("/home/vcap/app/run.sh", (dir / "back.sh").string()).ok());
  CHECK(testing::read_file(dir / "back.sh") == "#!/bin/sh\necho droplet\n");
  auto missing = c->copy_out("/etc/shadow", (dir / "shadow").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("Permission denied") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "shadow"));
}

TEST_CASE_METHOD(RuncFixture, "runc: a restarted backend finds its containers; destroy cleans up") {
  if (!runc_tests_enabled()) return;
  auto c = create("restart", ContainerSpec{.limits = {.disk_bytes = 64ull << 20},
                                           .properties = {{"process_guid", "web-1"}}});
  Output output;
  auto p = c->run(sh("exec sleep 60"), output.io());
  REQUIRE(p.ok());
  std::string handle = c->handle();
  c.reset();

  auto again = open();
  auto handles = again->list();
  REQUIRE(handles.ok());
  CHECK(*handles == std::vector<std::string>{handle});
  auto found = again->lookup(handle);
  REQUIRE(found.ok());
  CHECK((*found)->properties().at("process_guid") == "web-1");

  std::string rootfs = (dir / "depot" / handle / "bundle" / "rootfs").string();
  CHECK(is_mount_point(rootfs));
  REQUIRE(again->destroy(handle).ok());
  CHECK((*p)->wait() == 128 + SIGKILL);
  CHECK_FALSE(std::filesystem::exists(dir / "depot" / handle));
  CHECK_FALSE(is_mount_point(rootfs));
  auto gone = again->lookup(handle);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == make_error_code(Errc::NotFound));
}

TEST_CASE_METHOD(RuncFixture, "runc: metrics report memory and CPU from the cgroup") {
  if (!runc_tests_enabled()) return;
  auto c =
      create("metrics",
             ContainerSpec{.limits = {.memory_bytes = 256ull << 20, .disk_bytes = 64ull << 20}});
  Output output;
  auto p = c->run(sh("exec python3 -c 'import time; b = b\"x\" * (48 << 20); time.sleep(30)'"),
                  output.io());
  REQUIRE(p.ok());
  // Wait for the allocation to be made, bounded.
  Metrics m;
  for (int i = 0; i < 200; ++i) {
    auto r = c->metrics();
    REQUIRE(r.ok());
    m = *r;
    if (m.memory_bytes > (40ull << 20)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(m.memory_bytes > (40ull << 20));
  CHECK(m.memory_limit_bytes == 256ull << 20);
  CHECK(m.cpu_ns > 0);
  CHECK(m.disk_limit_bytes == 64ull << 20);
  CHECK(m.disk_bytes < (64ull << 20));
  CHECK(m.oom_kills == 0);
  (*p)->signal(SIGKILL);
  (*p)->wait();
}

TEST_CASE_METHOD(RuncFixture, "runc: create refuses a duplicate handle and a bad one") {
  if (!runc_tests_enabled()) return;
  auto c = create("dup");
  auto again = backend->create(ContainerSpec{.handle = c->handle()});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == make_error_code(Errc::Conflict));
  auto bad = backend->create(ContainerSpec{.handle = "a/b"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == make_error_code(Errc::InvalidArgument));
}
