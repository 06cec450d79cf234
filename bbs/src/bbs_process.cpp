#include "bbs/src/bbs_process.h"

#include <boost/asio/use_awaitable.hpp>

#include "bbs/src/callbacks/callback_worker.h"
#include "bbs/src/callbacks/http_callback_poster.h"
#include "bbs/src/controllers/cell_controller.h"
#include "bbs/src/controllers/http_auctioneer_client.h"
#include "bbs/src/controllers/lrp_controller.h"
#include "bbs/src/controllers/nats_rep_client.h"
#include "bbs/src/controllers/task_controller.h"
#include "bbs/src/converger/converger.h"
#include "bbs/src/db/pg/actual_lrp_db.h"
#include "bbs/src/db/pg/cell_db.h"
#include "bbs/src/db/pg/desired_lrp_db.h"
#include "bbs/src/db/pg/schema.h"
#include "bbs/src/db/pg/task_db.h"
#include "bbs/src/events/event_hub.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"
#include "common/component/component.h"
#include "common/config/config.h"
#include "common/http/server.h"
#include "common/nats/announcer.h"
#include "common/nats/client.h"
#include "common/pg/advisory_lock.h"
#include "common/pg/migrate.h"
#include "common/pg/pool.h"
#include "common/service/step_service.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {
// The advisory lock whose holder converges ("cupola" 2).
constexpr std::int64_t kConvergerLockKey = 0x6375706f6c61'02;

std::unique_ptr<HttpAuctioneerClient> make_auctioneer_client(const BbsConfig& c,
                                                             http::Client& client, LockDb& locks,
                                                             const Clock& clock,
                                                             const log::Logger& log) {
  if (!c.auctioneer_url.empty()) {
    return std::make_unique<HttpAuctioneerClient>(client, c.auctioneer_url,
                                                  log.session("auctioneer"));
  }
  if (c.discover_auctioneer) {
    return std::make_unique<HttpAuctioneerClient>(
        client, AuctioneerDiscovery{.locks = locks, .clock = clock}, log.session("auctioneer"));
  }
  return nullptr;
}

}  // namespace

struct BbsProcess {
  BbsProcess(const BbsConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        log(ctx.log),
        pool(ex,
             pg::PoolOptions{.conninfo = c.database,
                             .max_size = static_cast<std::size_t>(c.database_max_connections)},
             log),
        actual(pool),
        desired(pool),
        tasks(pool),
        cells(pool),
        domains(pool),
        locks(pool),
        events(ex),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-bbs"}, log),
        reps(nats, log.session("reps")),
        auctioneer_http(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(10)},
                        log.session("auctioneer")),
        http_auctioneer(make_auctioneer_client(c, auctioneer_http, locks, ctx.clock, log)),
        auctioneer(http_auctioneer ? static_cast<AuctioneerClient&>(*http_auctioneer)
                                   : pending_auctioneer),
        http_client(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(10)},
                    log.session("callbacks")),
        poster(http_client),
        callbacks(ex, task_controller, poster, log),
        lrp_controller({desired, actual, cells, events, auctioneer, reps, ctx.clock, guids,
                        log.session("lrps")}),
        task_controller(
            {tasks, events, auctioneer, reps, callbacks, ctx.clock, guids, log.session("tasks")}),
        cell_controller(cells, domains, locks, ctx.clock, log.session("cells")),
        leader_lock(ex, pg::ConnectOptions{.conninfo = c.database}, kConvergerLockKey,
                    log.session("converger-lock")) {}

  asio::any_io_executor ex;
  log::Logger log;
  RandomGuidGenerator guids;
  pg::Pool pool;
  PgActualLrpDb actual;
  PgDesiredLrpDb desired;
  PgTaskDb tasks;
  PgCellDb cells;
  PgDomainDb domains;
  PgLockDb locks;
  EventHub events;
  nats::Client nats;
  NatsRepClient reps;
  // Start requests go to the auctioneer when one is configured or discovered, and wait for
  // convergence otherwise.
  PendingAuctioneerClient pending_auctioneer;
  http::Client auctioneer_http;
  std::unique_ptr<HttpAuctioneerClient> http_auctioneer;
  AuctioneerClient& auctioneer;
  http::Client http_client;
  HttpCallbackPoster poster;
  CallbackWorker callbacks;
  LrpController lrp_controller;
  TaskController task_controller;
  CellController cell_controller;
  pg::AdvisoryLock leader_lock;
};

std::shared_ptr<BbsProcess> build_bbs(const BbsConfig& c, ServiceContext& ctx) {
  auto p = std::make_shared<BbsProcess>(c, ctx);
  auto* raw = p.get();
  const auto startup_timeout = c.startup_timeout;

  ctx.group.add(std::make_shared<StepService>(
      raw->ex, "database", [raw, startup_timeout]() -> asio::awaitable<void> {
        if (auto ready = co_await raw->pool.wait_ready(startup_timeout); !ready) {
          throw std::runtime_error("postgres did not answer: " + ready.error().message);
        }
        auto applied = co_await pg::migrate(raw->pool, bbs_migrations(), raw->log);
        if (!applied)
          throw std::runtime_error("migrating the bbs database failed: " + applied.error().message);
      }));
  component::add_nats(ctx.group, raw->ex, raw->nats);

  http::Router router;
  add_lrp_routes(router, raw->lrp_controller);
  add_evacuation_routes(router, raw->lrp_controller);
  add_task_routes(router, raw->task_controller);
  add_cell_routes(router, raw->cell_controller);
  add_event_routes(router, raw->events);
  http::ServerOptions server_options;
  server_options.max_body_bytes = c.max_body_bytes;
  auto server = component::add_http_server(ctx.group, raw->ex, c.listen_address, std::move(router),
                                           raw->nats, raw->log, server_options);
  server->varz().gauge("bbs.event_subscribers",
                       [raw] { return static_cast<std::int64_t>(raw->events.subscribers()); });
  server->set_error_renderer(plumbing_error);
  component::add_announcer(ctx.group, raw->nats, "bbs", c.listen_address, *server, raw->log);

  ConvergerDeps deps{raw->desired,
                     raw->actual,
                     raw->tasks,
                     raw->cells,
                     raw->domains,
                     raw->events,
                     raw->auctioneer,
                     raw->callbacks,
                     raw->lrp_controller,
                     ctx.clock,
                     raw->guids,
                     raw->log.session("converger"),
                     [raw]() -> asio::awaitable<bool> {
                       auto held = co_await raw->leader_lock.try_acquire();
                       co_return held&&* held;
                     }};
  ctx.group.add(std::make_shared<Converger>(
      raw->ex, ConvergerOptions{c.converge_interval, c.cell_check_interval}, std::move(deps)));
  // Callbacks in flight are cancelled on stop (their tasks are retried by convergence).
  ctx.group.add(std::shared_ptr<Service>(p, &raw->callbacks));
  // Subscribers' streams end before the server drains.
  ctx.group.add(std::make_shared<StepService>(
      raw->ex, "events", []() -> asio::awaitable<void> { co_return; },
      [raw] { raw->events.close(); }));
  return p;
}

}  // namespace cupola::bbs
