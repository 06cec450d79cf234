#include "service_broker/src/broker_process.h"

#include <stdexcept>

#include "common/component/component.h"
#include "common/nats/client.h"
#include "common/pg/conninfo.h"
#include "common/pg/migrate.h"
#include "common/pg/pool.h"
#include "common/service/step_service.h"
#include "service_broker/src/broker.h"
#include "service_broker/src/handlers.h"
#include "service_broker/src/operation_runner.h"
#include "service_broker/src/pg_store.h"
#include "service_broker/src/pg_target.h"
#include "service_broker/src/responses.h"
#include "service_broker/src/schema.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

namespace {

std::string password_of(const BrokerConfig& c) {
  auto p = load_password(c);
  if (!p) throw std::runtime_error(p.error().message);
  return std::move(*p);
}

}  // namespace

struct BrokerProcess {
  BrokerProcess(const BrokerConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        log(ctx.log),
        password(password_of(c)),
        pool(ex,
             pg::PoolOptions{.conninfo = c.database,
                             .max_size = static_cast<std::size_t>(c.database_max_connections)},
             log.session("db")),
        store(pool, ctx.clock),
        target(ex, c.target.conninfo, c.target.connect_timeout, log.session("target")),
        catalog(c.service, c.plans),
        endpoint{c.target.hostname, c.target.port},
        broker(ex, BrokerOptions{.async = c.async_provision},
               BrokerDeps{store, target, catalog, log, {}}),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-pg-broker"}, log) {}

  asio::any_io_executor ex;
  log::Logger log;
  std::string password;
  pg::Pool pool;
  PgBrokerStore store;
  PgTargetServer target;
  Catalog catalog;
  Endpoint endpoint;
  Broker broker;
  nats::Client nats;
};

std::shared_ptr<BrokerProcess> build_broker(const BrokerConfig& c, ServiceContext& ctx) {
  auto p = std::make_shared<BrokerProcess>(c, ctx);
  auto* raw = p.get();
  const auto startup_timeout = c.startup_timeout;

  ctx.group.add(std::make_shared<StepService>(
      raw->ex, "database", [raw, startup_timeout]() -> asio::awaitable<void> {
        if (auto ready = co_await raw->pool.wait_ready(startup_timeout); !ready) {
          throw std::runtime_error("postgres did not answer: " + ready.error().message);
        }
        auto applied = co_await pg::migrate(raw->pool, broker_migrations(), raw->log);
        if (!applied) {
          throw std::runtime_error("migrating the broker database failed: " +
                                   applied.error().message);
        }
      }));
  component::add_nats(ctx.group, raw->ex, raw->nats);
  ctx.group.add(
      std::make_shared<OperationRunner>(raw->ex, raw->broker, raw->log.session("operations")));

  http::ServerOptions options;
  options.max_body_bytes = c.max_body_bytes;
  auto server = component::add_http_server(ctx.group, raw->ex, c.listen_address,
                                           make_router(raw->broker, raw->endpoint), raw->nats,
                                           raw->log, options);
  server->set_error_renderer(plumbing_error);
  use_osb_middleware(*server, c.username, raw->password, raw->log);
  server->varz().gauge("pg_broker.operations_running",
                       [raw] { return static_cast<std::int64_t>(raw->broker.running()); });
  component::add_announcer(ctx.group, raw->nats, "pg-broker", c.listen_address, *server, raw->log);
  raw->log.info("configured", {{"database", pg::safe_conninfo(c.database)},
                               {"target", pg::safe_conninfo(c.target.conninfo)},
                               {"async_provision", c.async_provision},
                               {"plans", static_cast<std::int64_t>(c.plans.size())}});
  return p;
}

}  // namespace cupola::pg_broker
