// A minimal server binary built like every component (config, service group, HTTP server),
// for the tests of the process runner, run_main and SIGTERM handling.

#include <boost/asio/use_awaitable.hpp>

#include "common/http/server.h"
#include "common/service/main.h"

namespace {

struct EchoConfig {
  std::string listen_address = "127.0.0.1:0";
  std::string log_level = "info";
  std::string greeting = "hello";

  void read(cupola::json::ObjectReader& r) {
    r.optional("listen_address", listen_address);
    r.optional("log_level", log_level);
    r.optional("greeting", greeting);
  }
  void validate(std::vector<std::string>& problems) const {
    if (auto hp = cupola::config::parse_host_port(listen_address); !hp) {
      problems.push_back("listen_address: " + hp.error().message);
    }
    if (!cupola::log::parse_level(log_level)) {
      problems.push_back("log_level: must be debug, info, error or fatal");
    }
    if (greeting.empty()) problems.push_back("greeting: must not be empty");
  }
};

}  // namespace

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<EchoConfig>(
      argc, argv, "echo-server", [](const EchoConfig& c, ServiceContext& s) {
        auto hp = config::parse_host_port(c.listen_address);
        http::Router router;
        router.get("/greet/:name",
                   [greeting = c.greeting](
                       http::RequestContext& ctx) -> boost::asio::awaitable<http::Response> {
                     co_return http::make_response(
                         http::StatusCode::ok, greeting + " " + std::string(ctx.params.get("name")),
                         "text/plain");
                   });
        http::ServerOptions opts;
        opts.address = hp->host;
        opts.port = hp->port;
        s.group.add(
            std::make_shared<http::Server>(s.io.get_executor(), opts, std::move(router), s.log));
      });
}
