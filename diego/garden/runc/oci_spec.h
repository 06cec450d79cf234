#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diego/garden/garden.h"

// Pure: the OCI runtime documents runc reads. No I/O, so tests check the isolation
// settings directly.
namespace cupola::garden::runc {

struct BundleOptions {
  std::string rootfs;        // host path of the container's mounted root
  std::string hostname;      // at most 63 characters
  std::string cgroups_path;  // "/<parent>/<handle>"
  std::string init_path;     // host path of cupola-garden-init, bind-mounted read-only
  Limits limits;
  std::vector<BindMount> bind_mounts;
  bool swap_accounting = false;  // the kernel accounts swap: cap memory+swap at the limit
  std::uint64_t tmp_bytes = 0;   // size of the /tmp tmpfs; 0: 64 MiB
};

// Where the init binary is mounted inside every container.
inline constexpr const char* kInitPath = "/tmp/garden-init";

// config.json of the bundle: pid, mount, ipc and uts namespaces (host network); no
// capabilities; no_new_privileges; the seccomp profile; cgroup limits; the init process.
std::string config_json(const BundleOptions& options);

// The process document for `runc exec --process`: env is the container's env followed by
// the process's own (a later name wins); PATH is added when neither sets it.
std::string process_json(const ProcessSpec& spec, const std::vector<EnvVar>& container_env,
                         unsigned uid);

// The seccomp profile: everything allowed but the calls that reach the kernel's
// administration (mount, modules, reboot, keyrings, namespaces, bpf, ...), which fail
// with EPERM.
const std::vector<std::string>& denied_syscalls();

}  // namespace cupola::garden::runc
