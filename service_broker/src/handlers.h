#pragma once

#include <string>

#include "common/http/router.h"
#include "common/http/server.h"
#include "common/log/log.h"
#include "service_broker/src/broker.h"
#include "service_broker/src/credentials.h"

namespace cupola::pg_broker {

// The OSB v2.17 endpoints: the catalog, service instances (provision, update, deprovision,
// fetch, last_operation) and service bindings (bind, unbind, fetch). Handlers decode and
// check requests (requests.h), call the broker and encode its answers. `broker` and
// `endpoint` outlive the router.
http::Router make_router(Broker& broker, const Endpoint& endpoint);

// Puts the OSB checks in front of every route (middleware.h), in this order: request log,
// basic auth, API version. /healthz and /varz stay open.
void use_osb_middleware(http::Server& server, const std::string& username,
                        const std::string& password, const log::Logger& log);

}  // namespace cupola::pg_broker
