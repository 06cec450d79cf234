#pragma once

// VCAP_SERVICES as Cloud Foundry builds it for an app: its bindings grouped by offering label
// ("user-provided" for user-provided instances), each with label, provider, plan, name,
// tags, instance_guid, instance_name, binding_guid, binding_name, credentials,
// syslog_drain_url and volume_mounts.

#include <string>
#include <vector>

#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/storage/secret_box.h"

namespace cupola::cc {

// The JSON object; a binding whose credentials do not open shows empty credentials.
std::string vcap_services(const std::vector<BoundService>& bound, const SecretBox& secrets);

}  // namespace cupola::cc
