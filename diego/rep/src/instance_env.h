#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bbs/api/models/actual_lrp.h"
#include "diego/garden/garden.h"

namespace cupola::rep {

// What an instance knows of itself.
struct InstanceIdentity {
  std::int32_t index = 0;
  std::string instance_guid;
  std::string host_address;             // the cell's address
  std::vector<bbs::PortMapping> ports;  // host ports; the first is the app's PORT
};

// The environment Cloud Foundry gives an instance: the desired LRP's env, then PORT,
// VCAP_APP_HOST, VCAP_APP_PORT and the CF_INSTANCE_* variables, which win over the same
// names in the desired env. Instances share the host's network, so an app listens on its
// host port: internal and external ports are the same number.
std::vector<garden::EnvVar> instance_env(const std::vector<garden::EnvVar>& desired,
                                         const InstanceIdentity& id);

}  // namespace cupola::rep
