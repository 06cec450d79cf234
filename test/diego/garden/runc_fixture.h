#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

#include "common/core/clock.h"
#include "common/testing/process.h"
#include "common/testing/temp_dir.h"
#include "diego/garden/runc/runc_backend.h"
#include "test/diego/garden/output.h"

namespace cupola::garden::test {

inline std::string stack_dir() {
  const char* env = std::getenv("CUPOLA_STACK_DIR");
  return env != nullptr && *env != '\0' ? env : CUPOLA_DEFAULT_STACK_DIR;
}

// True when this machine can run the runc tests: as root. Without root they are skipped
// with a warning; as root a missing stack or runc fails them.
inline bool runc_tests_enabled() {
  if (::geteuid() != 0) {
    WARN("not root: the runc backend tests are skipped");
    return false;
  }
  return true;
}

// A runc backend on a private depot; every container it made is destroyed at the end.
struct RuncFixture {
  testing::TempDir dir{"garden-runc"};
  SystemClock clock;
  std::string cgroup_parent = "cupola-test-" + std::to_string(::getpid());
  std::unique_ptr<RuncBackend> backend;
  std::vector<std::string> handles;

  RuncFixture() {
    if (::geteuid() != 0) return;
    backend = open();
  }
  ~RuncFixture() {
    if (!backend) return;
    for (const auto& h : handles) (void)backend->destroy(h);
    // runc removes each container's cgroups; the parent is ours to remove, in every
    // hierarchy (v1) or the one (v2).
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path("/sys/fs/cgroup") / cgroup_parent, ec);
    for (const auto& h : std::filesystem::directory_iterator("/sys/fs/cgroup", ec)) {
      std::filesystem::remove(h.path() / cgroup_parent, ec);
    }
  }

  std::unique_ptr<RuncBackend> open() {
    RuncBackendOptions o;
    o.depot_dir = (dir / "depot").string();
    o.stack_dir = stack_dir();
    o.init_path = testing::binary_path("cupola-garden-init");
    o.cgroup_parent = cgroup_parent;
    auto b = RuncBackend::open(o, log::Logger(std::make_shared<log::MemorySink>(), clock, "t"));
    INFO((b.ok() ? "" : b.error().message));
    REQUIRE(b.ok());
    return std::move(*b);
  }

  std::shared_ptr<Container> create(const std::string& handle, ContainerSpec spec = {}) {
    spec.handle = handle + "-" + std::to_string(::getpid());
    auto c = backend->create(spec);
    INFO((c.ok() ? "" : c.error().message));
    REQUIRE(c.ok());
    handles.push_back(spec.handle);
    return *c;
  }

  // Runs a shell script to completion in `c`; returns its exit status.
  int run(Container& c, const std::string& script, Output& output, std::string user = "vcap") {
    auto p = c.run(sh(script, std::move(user)), output.io());
    INFO((p.ok() ? "" : p.error().message));
    REQUIRE(p.ok());
    return (*p)->wait();
  }
};

}  // namespace cupola::garden::test
