#pragma once

// Service instances and credential bindings in Cloud Foundry's v3 shapes.

#include <optional>
#include <string>

#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/handlers/api_context.h"
#include "common/json/json.h"

namespace cupola::cc {

void write_last_operation(json::Writer& w, const LastOperation& op, bool user_provided);
void write_instance(json::Writer& w, const Urls& urls, const ServiceInstance& i);
void write_binding(json::Writer& w, const Urls& urls, const ServiceBinding& b);
// A string member, or null.
void optional_text(json::Writer& w, const char* key, const std::optional<std::string>& v);

}  // namespace cupola::cc
