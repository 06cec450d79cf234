#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/log/log.h"
#include "diego/garden/garden.h"

namespace cupola::garden {

struct ProcessBackendOptions {
  std::string depot_dir;  // one directory per container
};

// Containers as plain directories and child processes, with no isolation and no limits:
// for development without root, chosen explicitly. Container paths under /home/vcap and
// /tmp, and the bind mounts' container paths, are mapped into the container's directory
// (in the path, the working directory, the arguments and the environment); every other
// path is the host's. Processes run as the backend's own user, whatever the spec says.
// Thread-safe.
class ProcessBackend final : public Backend {
 public:
  static Result<std::unique_ptr<ProcessBackend>> open(ProcessBackendOptions options,
                                                      log::Logger log);

  // Backend:
  std::string_view name() const override { return "process"; }
  Result<std::shared_ptr<Container>> create(const ContainerSpec& spec) override;
  Result<std::shared_ptr<Container>> lookup(const std::string& handle) override;
  Result<std::vector<std::string>> list() override;
  Status destroy(const std::string& handle) override;

 private:
  ProcessBackend(ProcessBackendOptions options, log::Logger log);
  Result<std::shared_ptr<Container>> load(const std::string& handle, std::vector<BindMount> mounts);

  ProcessBackendOptions options_;
  log::Logger log_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Container>> containers_;
};

}  // namespace cupola::garden
