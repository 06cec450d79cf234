#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "diego/garden/garden.h"

namespace cupola::garden {

// What a runc container needs to run processes and read its metrics; built by
// RuncBackend at create and again from container.json after a restart.
struct RuncContainerConfig {
  std::string handle;
  std::map<std::string, std::string> properties;
  std::vector<EnvVar> env;
  Limits limits;
  std::string dir;        // the container's depot directory
  std::string runc;       // runc's path
  std::string runc_root;  // runc's state directory
  std::string cgroup;     // "/<parent>/<handle>"
  bool cgroup_v2 = false;
  std::string layer_mount;  // the writable layer's mount point when it has a disk limit
};

class RuncContainer final : public Container {
 public:
  explicit RuncContainer(RuncContainerConfig config) : config_(std::move(config)) {}

  // Container:
  const std::string& handle() const override { return config_.handle; }
  const std::map<std::string, std::string>& properties() const override {
    return config_.properties;
  }
  Result<std::shared_ptr<Process>> run(const ProcessSpec& spec, ProcessIO io) override;
  Status stream_in(const std::string& tar_file, const std::string& dir,
                   const std::string& user) override;
  Status copy_out(const std::string& container_file, const std::string& host_file) override;
  Result<Metrics> metrics() override;

 private:
  // Runs a helper process (tar, cat) to completion; its stderr becomes the error.
  Status run_helper(const ProcessSpec& spec, const std::function<void(std::string_view)>& out,
                    const std::string& what);

  RuncContainerConfig config_;
  std::atomic<unsigned> next_process_{0};
};

// Reads a cgroup's usage: memory without reclaimable cache, CPU time, OOM kills.
Metrics read_cgroup_metrics(const std::string& cgroup, bool v2);

}  // namespace cupola::garden
