// cupola-route-emitter: the composition root. Follows the BBS and publishes the routes of
// running instances to the routers over NATS, until SIGTERM.

#include "common/service/main.h"
#include "bbs/api/client/http_bbs_client.h"
#include "common/component/component.h"
#include "common/http/client/client.h"
#include "diego/route_emitter/src/config.h"
#include "diego/route_emitter/src/emitter.h"

namespace {

using namespace cupola;

struct RouteEmitterProcess {
  RouteEmitterProcess(const route_emitter::RouteEmitterConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-route-emitter"},
             ctx.log),
        http_client(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(30)},
                    ctx.log.session("bbs-client")),
        bbs(http_client, c.bbs_url) {}

  boost::asio::any_io_executor ex;
  nats::Client nats;
  http::Client http_client;
  bbs::HttpBbsClient bbs;
};

}  // namespace

int main(int argc, char** argv) {
  return run_main<route_emitter::RouteEmitterConfig>(
      argc, argv, "route-emitter",
      [](const route_emitter::RouteEmitterConfig& c, ServiceContext& ctx) {
        auto p = std::make_shared<RouteEmitterProcess>(c, ctx);
        component::add_nats(ctx.group, p->ex, p->nats);
        route_emitter::EmitterOptions o;
        o.register_interval = c.register_interval;
        o.sync_interval = c.sync_interval;
        auto emitter = std::make_shared<route_emitter::Emitter>(p->ex, p->bbs, p->nats, o,
                                                                ctx.log.session("emitter"));
        auto server = component::add_http_server(ctx.group, p->ex, c.listen_address, http::Router{},
                                                 p->nats, ctx.log);
        server->varz().gauge("route_emitter.routes", [e = emitter.get()] {
          return static_cast<std::int64_t>(e->table().route_count());
        });
        server->varz().gauge("route_emitter.messages_sent", [e = emitter.get()] {
          return static_cast<std::int64_t>(e->messages_sent());
        });
        component::add_announcer(ctx.group, p->nats, "route-emitter", c.listen_address, *server,
                                 ctx.log);
        ctx.group.add(emitter);
        return p;
      });
}
