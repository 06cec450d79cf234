#pragma once

#include <memory>
#include <string>

#include "common/http/router.h"
#include "common/http/server.h"
#include "common/nats/client.h"
#include "common/service/service.h"

// The parts every server process shares (ARCHITECTURE §2): a NATS connection made at start,
// an HTTP server whose /healthz fails while NATS is away, and the announcement of that
// server on NATS. Each adds its service to the group, in the order called.
namespace cupola::component {

// Connects `nats` at start (retrying as the client does); closes it at stop. A start that
// cannot reach NATS fails the process.
void add_nats(ServiceGroup& group, boost::asio::any_io_executor ex, nats::Client& nats);

// An HTTP server on `listen_address` ("host:port", already validated) serving `router`.
std::shared_ptr<http::Server> add_http_server(ServiceGroup& group, boost::asio::any_io_executor ex,
                                              const std::string& listen_address,
                                              http::Router router, nats::Client& nats,
                                              const log::Logger& log,
                                              http::ServerOptions options = {});

// Announces `name` (and `id`, which one of that name) and the server's health URL on
// cupola.component.announce.
void add_announcer(ServiceGroup& group, nats::Client& nats, std::string name,
                   const std::string& listen_address, const http::Server& server,
                   const log::Logger& log, std::string id = {});

}  // namespace cupola::component
