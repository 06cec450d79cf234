#include "diego/auctioneer/src/auctioneer_process.h"

#include <stdexcept>

#include "bbs/api/client/http_bbs_client.h"
#include "common/component/component.h"
#include "common/config/config.h"
#include "common/core/guid.h"
#include "common/http/client/client.h"
#include "common/http/server.h"
#include "common/nats/announcer.h"
#include "common/nats/client.h"
#include "common/service/step_service.h"
#include "diego/auctioneer/src/auction_runner.h"
#include "diego/auctioneer/src/batcher.h"
#include "diego/auctioneer/src/handlers.h"
#include "diego/auctioneer/src/lock_keeper.h"
#include "diego/auctioneer/src/nats_rep_client.h"

namespace cupola::auctioneer {
namespace asio = boost::asio;

namespace {

AuctionRunnerOptions runner_options(const AuctioneerConfig& c) {
  AuctionRunnerOptions o;
  o.rep_timeout = c.rep_timeout;
  o.max_tries = c.max_tries;
  o.weights.starting_container = c.starting_container_weight;
  o.weights.bin_pack_first_fit = c.bin_pack_first_fit_weight;
  o.weights.max_inflight_starts = c.max_inflight_starts;
  return o;
}

LockKeeperOptions lock_options(const AuctioneerConfig& c, std::string owner) {
  LockKeeperOptions o;
  o.owner = std::move(owner);
  o.ttl = std::chrono::duration_cast<std::chrono::seconds>(c.lock_ttl);
  o.refresh_interval = c.lock_refresh_interval;
  o.retry_interval = c.lock_retry_interval;
  return o;
}

}  // namespace

struct AuctioneerProcess {
  AuctioneerProcess(const AuctioneerConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        log(ctx.log),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-auctioneer"}, log),
        reps(nats),
        http_client(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(10)},
                    log.session("bbs-client")),
        bbs(http_client, c.bbs_url),
        runner(ex, bbs, reps, runner_options(c), log.session("auction")),
        batcher(std::make_shared<Batcher>(ex, runner, c.batch_window, log.session("batcher"))),
        keeper(std::make_shared<LockKeeper>(ex, bbs, lock_options(c, guids.next()), ctx.clock,
                                            log.session("lock-keeper"))) {
    batcher->set_gate([k = keeper.get()] { return k->holding(); });
  }

  asio::any_io_executor ex;
  log::Logger log;
  RandomGuidGenerator guids;
  nats::Client nats;
  NatsRepClient reps;
  http::Client http_client;
  bbs::HttpBbsClient bbs;
  AuctionRunner runner;
  std::shared_ptr<Batcher> batcher;
  std::shared_ptr<LockKeeper> keeper;
};

std::shared_ptr<AuctioneerProcess> build_auctioneer(const AuctioneerConfig& c,
                                                    ServiceContext& ctx) {
  auto p = std::make_shared<AuctioneerProcess>(c, ctx);
  auto* raw = p.get();

  component::add_nats(ctx.group, raw->ex, raw->nats);
  ctx.group.add(raw->batcher);

  http::Router router;
  add_auction_routes(router, *raw->batcher, raw->keeper.get());
  auto hp = config::parse_host_port(c.listen_address);
  auto server = component::add_http_server(ctx.group, raw->ex, c.listen_address, std::move(router),
                                           raw->nats, raw->log);
  server->varz().gauge("auctioneer.waiting_requests",
                       [raw] { return static_cast<std::int64_t>(raw->batcher->waiting()); });
  server->set_error_renderer([](http::StatusCode status, std::string_view message) {
    return error_body(status, "InvalidRequest", message);
  });
  // After the server, so that its port is bound when the keeper publishes the URL.
  raw->keeper->set_value([host = hp->host, s = server.get()] {
    return "http://" + host + ":" + std::to_string(s->port());
  });
  ctx.group.add(raw->keeper);
  component::add_announcer(ctx.group, raw->nats, "auctioneer", c.listen_address, *server, raw->log);
  return p;
}

}  // namespace cupola::auctioneer
