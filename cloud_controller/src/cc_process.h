#pragma once

#include <memory>

#include "cloud_controller/src/config.h"
#include "common/service/main.h"

namespace cupola::cc {

struct CcProcess;

// cupola-cc's services on ctx.group, in order: the database (reachable, migrated, admin
// made), NATS, the HTTP server with the v3 API and the token service, the announcement, and
// the revocation list's sync. Throws on a configuration it cannot use (an unreadable key).
std::shared_ptr<CcProcess> build_cc(const CcConfig& c, ServiceContext& ctx);

}  // namespace cupola::cc
