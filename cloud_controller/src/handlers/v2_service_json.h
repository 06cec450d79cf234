#pragma once

// Service instances, bindings, keys, services (offerings) and plans as v2 resources, each
// {"metadata", "entity"}. Internal to the v2 handlers.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cloud_controller/src/db/brokers_db.h"
#include "cloud_controller/src/db/services_db.h"
#include "common/json/json.h"

namespace cupola::cc {

// What those who may not read credentials see instead (Cloud Foundry's text).
inline constexpr std::string_view kRedactedCredentials =
    R"({"redacted_message":"[PRIVATE DATA HIDDEN]"})";

// A binding or key with the credentials (JSON object text) its reader is shown.
using ShownBinding = std::pair<ServiceBinding, std::string>;

// What inline-relations-depth=1 adds to an instance: its app bindings and keys, and its plan.
struct V2Inlined {
  std::vector<ShownBinding> bindings;
  std::vector<ShownBinding> keys;
};

// A managed instance's `plan` gives its service_guid (null: unknown); `credentials_json` is
// what the reader is shown of a user-provided instance's credentials.
void write_v2_instance(json::Writer& w, const ServiceInstance& i, const ServicePlan* plan,
                       const std::string& credentials_json, const V2Inlined* inlined = nullptr);
void write_v2_binding(json::Writer& w, const ShownBinding& b);
void write_v2_key(json::Writer& w, const ShownBinding& k);
void write_v2_service(json::Writer& w, const ServiceOffering& o);
void write_v2_plan(json::Writer& w, const ServicePlan& p);

// The type of an instance in v2: "managed_service_instance" or "user_provided_service_instance".
std::string_view v2_instance_type(const ServiceInstance& i);

}  // namespace cupola::cc
