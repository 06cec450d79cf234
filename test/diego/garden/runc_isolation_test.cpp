// What an app in a container cannot do: be root, change the stack, see other containers,
// exceed its limits, or use the kernel's administration calls.
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <future>

#include "common/testing/temp_dir.h"
#include "test/diego/garden/runc_fixture.h"

using namespace cupola;
using namespace cupola::garden;
using namespace cupola::garden::test;

TEST_CASE_METHOD(RuncFixture, "isolation: no capabilities, no new privileges, not root") {
  if (!runc_tests_enabled()) return;
  auto c = create("caps");
  Output vcap;
  CHECK(run(*c, "grep -E '^(Uid|CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status",
            vcap) == 0);
  INFO(vcap.all());
  CHECK(vcap.out.find("Uid:\t2000\t2000\t2000\t2000") != std::string::npos);
  CHECK(vcap.out.find("CapEff:\t0000000000000000") != std::string::npos);
  CHECK(vcap.out.find("CapBnd:\t0000000000000000") != std::string::npos);
  CHECK(vcap.out.find("NoNewPrivs:\t1") != std::string::npos);
  CHECK(vcap.out.find("Seccomp:\t2") != std::string::npos);

  // Even the container's root has no capabilities: it cannot mount or read others' files.
  Output root;
  CHECK(run(*c, "grep CapEff /proc/self/status; mount -t tmpfs x /mnt", root, "root") != 0);
  INFO(root.all());
  CHECK(root.out.find("CapEff:\t0000000000000000") != std::string::npos);
}

TEST_CASE_METHOD(RuncFixture, "isolation: seccomp refuses namespaces and mounts") {
  if (!runc_tests_enabled()) return;
  auto c = create("seccomp");
  Output output;
  CHECK(run(*c, "unshare --user --map-root-user true", output) != 0);
  INFO(output.all());
  CHECK(output.err.find("Operation not permitted") != std::string::npos);
}

TEST_CASE_METHOD(RuncFixture, "isolation: the stack cannot be changed; writes stay in the layer") {
  if (!runc_tests_enabled()) return;
  auto a = create("stack-a");
  Output denied;
  CHECK(run(*a, "echo x > /usr/bin/planted", denied) != 0);
  INFO(denied.all());
  CHECK(denied.err.find("Permission denied") != std::string::npos);

  // The container's root may change its own copy: the stack underneath stays as it was,
  // and the change is gone with the container.
  std::string before = testing::read_file(stack_dir() + "/etc/issue");
  Output changed;
  CHECK(run(*a, "echo changed > /etc/issue && cat /etc/issue", changed, "root") == 0);
  CHECK(changed.out == "changed\n");
  CHECK(testing::read_file(stack_dir() + "/etc/issue") == before);

  auto b = create("stack-b");
  Output fresh;
  CHECK(run(*b, "cat /etc/issue", fresh) == 0);
  CHECK(fresh.out == before);
}

TEST_CASE_METHOD(RuncFixture,
                 "isolation: containers see neither each other's processes nor files") {
  if (!runc_tests_enabled()) return;
  auto a = create("iso-a");
  auto b = create("iso-b");
  Output secret;
  CHECK(run(*a, "echo s3cret > /home/vcap/secret && echo s3cret > /tmp/secret", secret) == 0);
  Output sleeper;
  auto p = a->run(sh("exec sleep 60"), sleeper.io());
  REQUIRE(p.ok());

  Output look;
  int status = run(*b,
                   "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f; echo; done; "
                   "ls /home/vcap/secret /tmp/secret 2>&1; true",
                   look);
  INFO(look.all());
  CHECK(status == 0);
  CHECK(look.out.find("sleep 60") == std::string::npos);
  CHECK(look.out.find("garden-init") != std::string::npos);  // its own init is pid 1
  CHECK(look.out.find("No such file or directory") != std::string::npos);
  CHECK(look.out.find("s3cret") == std::string::npos);
  (*p)->signal(SIGKILL);
  (*p)->wait();
}

TEST_CASE_METHOD(RuncFixture, "isolation: the pids limit stops a fork bomb") {
  if (!runc_tests_enabled()) return;
  auto c = create("pids", ContainerSpec{.limits = {.max_pids = 20}});
  Output output;
  int status = run(*c,
                   "exec python3 -c '\n"
                   "import os, time\n"
                   "n = 0\n"
                   "try:\n"
                   "    for i in range(100):\n"
                   "        if os.fork() == 0:\n"
                   "            time.sleep(5); os._exit(0)\n"
                   "        n += 1\n"
                   "except OSError as e:\n"
                   "    print(\"refused after\", n, e.strerror)\n'",
                   output);
  INFO(output.all());
  CHECK(status == 0);
  CHECK(output.out.find("refused after") == 0);
  CHECK(output.out.find("Resource temporarily unavailable") != std::string::npos);
  int forked = std::atoi(output.out.substr(std::string("refused after ").size()).c_str());
  CHECK(forked < 20);
}

TEST_CASE_METHOD(RuncFixture, "isolation: exceeding the memory limit is an OOM kill, counted") {
  if (!runc_tests_enabled()) return;
  auto c = create("oom", ContainerSpec{.limits = {.memory_bytes = 64ull << 20}});
  Output output;
  int status = run(*c, "exec python3 -c 'b = b\"x\" * (256 << 20)'", output);
  INFO(output.all());
  CHECK(status == 128 + SIGKILL);
  auto m = c->metrics();
  REQUIRE(m.ok());
  CHECK(m->oom_kills >= 1);
}

TEST_CASE_METHOD(RuncFixture, "isolation: the disk limit caps the writable layer") {
  if (!runc_tests_enabled()) return;
  auto c = create("disk", ContainerSpec{.limits = {.disk_bytes = 32ull << 20}});
  Output output;
  CHECK(run(*c, "dd if=/dev/zero of=/home/vcap/fill bs=1M count=64", output) != 0);
  INFO(output.all());
  CHECK(output.err.find("No space left on device") != std::string::npos);
}

TEST_CASE_METHOD(RuncFixture, "isolation: an OOM kill reaches the process that outgrew the limit") {
  if (!runc_tests_enabled()) return;
  auto c = create("oom-sibling", ContainerSpec{.limits = {.memory_bytes = 64ull << 20}});
  Output output;
  auto start = std::chrono::steady_clock::now();
  auto p = c->run(sh("python3 -m http.server 61999 & sleep 1; "
                     "exec python3 -c 'b = bytes(range(256)) * (1 << 20)'"),
                  output.io());
  REQUIRE(p.ok());
  // Other processes come and go meanwhile, as health checks do.
  std::promise<int> exited;
  (*p)->on_exit([&](int s) { exited.set_value(s); });
  auto f = exited.get_future();
  for (int i = 0; i < 100 && f.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready;
       ++i) {
    Output check;
    run(*c, "true", check);
  }
  REQUIRE(f.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  INFO(output.all());
  CHECK(f.get() == 128 + SIGKILL);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
}
