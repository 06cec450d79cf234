#pragma once

#include <memory>

#include "common/service/main.h"
#include "gorouter/proxy/config.h"

namespace cupola::router {

struct RouterProcess;

// Builds a router and adds its services to ctx.group, in start order: NATS, the route
// subscriber, the status server (/health, /routes), the proxy's event loops. SIGTERM or
// SIGUSR1 drain: /health fails at once, new connections are refused, requests in flight
// finish (at most drain_timeout), then the process exits.
std::shared_ptr<RouterProcess> build_router(const RouterConfig& config, ServiceContext& ctx);

}  // namespace cupola::router
