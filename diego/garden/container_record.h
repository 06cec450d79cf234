#pragma once

#include <string>

#include "common/core/result.h"
#include "diego/garden/garden.h"

namespace cupola::garden {

// container.json: what a backend keeps of a container's spec so that it can find it again
// after a restart (handle, properties, env, limits; not the bind mounts).
std::string record_json(const ContainerSpec& spec);
Result<ContainerSpec> parse_record(const std::string& text);

}  // namespace cupola::garden
