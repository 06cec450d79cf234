#include "common/component/component.h"

#include <stdexcept>

#include "common/config/config.h"
#include "common/nats/announcer.h"
#include "common/service/step_service.h"

namespace cupola::component {
namespace asio = boost::asio;

void add_nats(ServiceGroup& group, asio::any_io_executor ex, nats::Client& nats) {
  group.add(std::make_shared<StepService>(
      ex, "nats",
      [&nats]() -> asio::awaitable<void> {
        if (auto s = co_await nats.connect(); !s) {
          throw std::runtime_error("nats did not answer: " + s.error().message);
        }
      },
      [&nats] { nats.close(); }));
}

std::shared_ptr<http::Server> add_http_server(ServiceGroup& group, asio::any_io_executor ex,
                                              const std::string& listen_address,
                                              http::Router router, nats::Client& nats,
                                              const log::Logger& log, http::ServerOptions options) {
  auto hp = config::parse_host_port(listen_address);
  if (!hp) throw std::runtime_error("listen_address: " + hp.error().message);
  options.address = hp->host;
  options.port = hp->port;
  auto server = std::make_shared<http::Server>(ex, options, std::move(router), log);
  server->set_health_check([&nats]() -> Status {
    if (!nats.connected()) return make_error(Errc::Unavailable, "not connected to nats");
    return {};
  });
  group.add(server);
  return server;
}

void add_announcer(ServiceGroup& group, nats::Client& nats, std::string name,
                   const std::string& listen_address, const http::Server& server,
                   const log::Logger& log, std::string id) {
  auto hp = config::parse_host_port(listen_address);
  std::string host = hp ? hp->host : "127.0.0.1";
  group.add(std::make_shared<nats::Announcer>(
      nats,
      [name = std::move(name), id = std::move(id), host, s = &server] {
        return nats::Announcement{name, 0, id, host,
                                  "http://" + host + ":" + std::to_string(s->port()) + "/healthz"};
      },
      log.session("announcer")));
}

}  // namespace cupola::component
