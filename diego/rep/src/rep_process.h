#pragma once

#include <memory>

#include "common/service/main.h"
#include "diego/rep/src/config.h"

namespace cupola::rep {

struct RepProcess;

// Builds a rep and adds its services to ctx.group, in start order: NATS, the HTTP server
// (/healthz, /varz, /v1/containers), the announcer, the rep itself (which evacuates first
// on SIGTERM). Throws when the container backend cannot be opened.
std::shared_ptr<RepProcess> build_rep(const RepConfig& config, ServiceContext& ctx);

}  // namespace cupola::rep
