#include "diego/rep/src/instance_env.h"

#include <map>

#include "common/json/json.h"

namespace cupola::rep {

std::vector<garden::EnvVar> instance_env(const std::vector<garden::EnvVar>& desired,
                                         const InstanceIdentity& id) {
  std::vector<garden::EnvVar> env;
  std::map<std::string, std::size_t> at;
  auto put = [&](const std::string& name, const std::string& value) {
    if (auto it = at.find(name); it != at.end()) {
      env[it->second].second = value;
      return;
    }
    at.emplace(name, env.size());
    env.emplace_back(name, value);
  };
  for (const auto& [name, value] : desired) put(name, value);

  put("CF_INSTANCE_INDEX", std::to_string(id.index));
  put("CF_INSTANCE_GUID", id.instance_guid);
  put("CF_INSTANCE_IP", id.host_address);
  put("CF_INSTANCE_INTERNAL_IP", id.host_address);
  put("VCAP_APP_HOST", "0.0.0.0");
  if (!id.ports.empty()) {
    std::string port = std::to_string(id.ports.front().host_port);
    put("PORT", port);
    put("VCAP_APP_PORT", port);
    put("CF_INSTANCE_PORT", port);
    put("CF_INSTANCE_ADDR", id.host_address + ":" + port);
  } else {
    put("CF_INSTANCE_ADDR", "");
    put("CF_INSTANCE_PORT", "");
  }
  json::Writer ports;
  ports.start_array();
  for (const auto& p : id.ports) {
    ports.start_object().field("external", p.host_port).field("internal", p.host_port).end_object();
  }
  ports.end_array();
  put("CF_INSTANCE_PORTS", ports.str());
  return env;
}

}  // namespace cupola::rep
