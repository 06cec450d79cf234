#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/log/log.h"
#include "diego/garden/garden.h"

namespace cupola::garden {

struct RuncBackendOptions {
  std::string depot_dir;  // one directory per container; survives a restart
  std::string stack_dir;  // the cupolafs root filesystem: every container's read-only layer
  std::string init_path;  // cupola-garden-init on the host
  std::string runc = "runc";
  std::string cgroup_parent = "cupola";  // containers' cgroups are /<parent>/<handle>
};

// Containers run by runc: an OCI bundle per container whose root is an overlay of the
// stack and a writable layer (an ext4 image of disk_bytes when a disk limit is set),
// with the isolation of runc/oci_spec.h. Processes run through `runc exec`.
// Thread-safe.
class RuncBackend final : public Backend {
 public:
  // Checks that runc, the stack and the init binary are there and that we are root.
  static Result<std::unique_ptr<RuncBackend>> open(RuncBackendOptions options, log::Logger log);

  // Backend:
  std::string_view name() const override { return "runc"; }
  Result<std::shared_ptr<Container>> create(const ContainerSpec& spec) override;
  Result<std::shared_ptr<Container>> lookup(const std::string& handle) override;
  Result<std::vector<std::string>> list() override;
  Status destroy(const std::string& handle) override;

  struct Paths;

 private:
  RuncBackend(RuncBackendOptions options, log::Logger log, bool v2, bool swap);
  Status build(const ContainerSpec& spec, const Paths& paths);
  Status teardown(const std::string& handle, const Paths& paths);
  Result<std::shared_ptr<Container>> load(const std::string& handle);

  RuncBackendOptions options_;
  log::Logger log_;
  bool cgroup_v2_;
  bool swap_accounting_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Container>> containers_;
};

}  // namespace cupola::garden
