// cupola-logstore: the composition root. Takes every producer's envelope batches from NATS
// into a ring per source and serves log-cache's read API and tails, until SIGTERM.

#include "common/service/main.h"
#include "common/component/component.h"
#include "common/core/guid.h"
#include "common/http/client/client.h"
#include "gorouter/api/registrar.h"
#include "loggregator/server/cc_access.h"
#include "loggregator/server/config.h"
#include "loggregator/server/handlers.h"
#include "loggregator/server/ingest.h"

namespace {

using namespace cupola;

struct LogstoreProcess {
  LogstoreProcess(const logstore::LogstoreConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-logstore"},
             ctx.log),
        store(logstore::StoreOptions{.max_per_source = c.max_per_source, .max_bytes = c.max_bytes}),
        http_client(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(10)},
                    ctx.log.session("access-client")),
        access(http_client, clock,
               logstore::CcAccessOptions{.uaa_url = c.uaa_url,
                                         .cc_url = c.cc_url,
                                         .admin_scopes = c.admin_scopes,
                                         .cache_ttl = c.access_cache_ttl},
               ctx.log.session("access")) {}

  boost::asio::any_io_executor ex;
  SystemClock clock;
  nats::Client nats;
  logstore::EnvelopeStore store;
  http::Client http_client;
  logstore::CcAccessPolicy access;
  logstore::ApiCounters counters;
};

}  // namespace

int main(int argc, char** argv) {
  return run_main<logstore::LogstoreConfig>(
      argc, argv, "logstore", [](const logstore::LogstoreConfig& c, ServiceContext& ctx) {
        auto p = std::make_shared<LogstoreProcess>(c, ctx);
        component::add_nats(ctx.group, p->ex, p->nats);
        auto ingest = std::make_shared<logstore::Ingest>(p->nats, p->store, c.queue_group,
                                                         ctx.log.session("ingest"));
        ctx.group.add(ingest);
        logstore::ApiOptions api;
        api.tail_queue = c.tail_queue;
        api.tail_heartbeat = c.tail_heartbeat;
        auto server = component::add_http_server(
            ctx.group, p->ex, c.listen_address,
            logstore::make_api_router(p->store, p->access, p->clock, api, p->counters), p->nats,
            ctx.log);
        server->set_error_renderer(logstore::api_error);
        auto& varz = server->varz();
        auto store = &p->store;
        auto counter = [&varz, store](const std::string& name, auto field) {
          varz.gauge("logstore." + name, [store, field] {
            return static_cast<std::int64_t>(store->counters().*field);
          });
        };
        counter("ingress", &logstore::StoreCounters::ingress);
        counter("egress", &logstore::StoreCounters::egress);
        counter("dropped.evicted_source_limit", &logstore::StoreCounters::evicted_source_limit);
        counter("dropped.evicted_memory", &logstore::StoreCounters::evicted_memory);
        counter("dropped.subscriber_slow", &logstore::StoreCounters::subscriber_slow);
        counter("dropped.decode_error", &logstore::StoreCounters::decode_error);
        counter("dropped.invalid", &logstore::StoreCounters::invalid);
        counter("envelopes", &logstore::StoreCounters::envelopes);
        counter("bytes", &logstore::StoreCounters::bytes);
        counter("sources", &logstore::StoreCounters::sources);
        counter("tails", &logstore::StoreCounters::subscribers);
        varz.gauge("logstore.batches", [i = ingest.get()] { return i->batches(); });
        varz.gauge("logstore.reads", [p] { return p->counters.reads.load(); });
        varz.gauge("logstore.unauthorized", [p] { return p->counters.unauthorized.load(); });
        component::add_announcer(ctx.group, p->nats, "logstore", c.listen_address, *server,
                                 ctx.log);
        RandomGuidGenerator guids;
        router_api::add_route_registrar(
            ctx.group, p->nats, c.routes, c.listen_address,
            [s = server.get()] { return static_cast<std::uint32_t>(s->port()); }, guids.next(),
            ctx.log);
        return p;
      });
}
