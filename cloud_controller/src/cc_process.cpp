#include "cloud_controller/src/cc_process.h"

#include <boost/asio/thread_pool.hpp>
#include <stdexcept>

#include "bbs/api/client/http_bbs_client.h"
#include "cloud_controller/src/bridge/crash_watcher.h"
#include "cloud_controller/src/bridge/diego_runtime.h"
#include "cloud_controller/src/db/schema.h"
#include "cloud_controller/src/handlers/buildpacks.h"
#include "cloud_controller/src/handlers/dashboard.h"
#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/services/operations.h"
#include "cloud_controller/src/storage/app_bits.h"
#include "cloud_controller/src/uaa/pg_revocation_store.h"
#include "cloud_controller/src/uaa/pg_user_store.h"
#include "cloud_controller/src/uaa/revocation_sync.h"
#include "cloud_controller/src/uaa/routes.h"
#include "cloud_controller/src/uaa/schema.h"
#include "cloud_controller/src/uaa/signing_key.h"
#include "cloud_controller/src/uaa/token_service.h"
#include "cloud_controller/src/uaa/token_verifier.h"
#include "cloud_controller/src/uaa/users.h"
#include "common/component/component.h"
#include "common/pg/migrate.h"
#include "common/pg/pool.h"
#include "common/service/step_service.h"
#include "gorouter/api/registrar.h"
#include "loggregator/api/log_client.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

// The token verifier, seen from the API.
class VerifierAuthenticator final : public Authenticator {
 public:
  VerifierAuthenticator(const uaa::TokenVerifier& verifier, const Clock& clock)
      : verifier_(verifier), clock_(clock) {}
  asio::awaitable<Result<Caller>> authenticate(std::string authorization) override {
    if (authorization.empty()) co_return make_error(Errc::NotFound, "no token");
    auto verified = verifier_.authenticate(authorization, clock_.now());
    if (!verified) co_return make_error(Errc::InvalidArgument, verified.error().message);
    Caller c;
    c.user_guid = verified->is_user() ? verified->user_id : verified->client_id;
    c.user_name = verified->user_name;
    c.origin = verified->origin;
    c.admin = verified->is_admin();
    c.admin_read_only = verified->has_scope("cloud_controller.admin_read_only");
    c.global_auditor = verified->has_scope("cloud_controller.global_auditor");
    c.can_write = c.admin || verified->has_scope("cloud_controller.write");
    co_return c;
  }

 private:
  const uaa::TokenVerifier& verifier_;
  const Clock& clock_;
};

// The token service's users, seen from the API.
class StoreDirectory final : public UserDirectory {
 public:
  explicit StoreDirectory(uaa::UserStore& store) : store_(store) {}
  asio::awaitable<Result<std::optional<UserIdentity>>> find_by_name(std::string username,
                                                                    std::string origin) override {
    auto user = co_await store_.find_by_username(username);
    if (!user) co_return std::move(user).error();
    if (!*user || (*user)->origin != origin) co_return std::optional<UserIdentity>();
    co_return std::optional<UserIdentity>(
        UserIdentity{(*user)->guid, (*user)->username, (*user)->origin});
  }
  asio::awaitable<Result<std::vector<UserIdentity>>> find_by_guids(
      std::vector<std::string> guids) override {
    std::vector<UserIdentity> out;
    for (const auto& g : guids) {
      auto user = co_await store_.get(g);
      if (!user) continue;  // not a user of the token service (a client, or gone)
      out.push_back({user->guid, user->username, user->origin});
    }
    co_return out;
  }

 private:
  uaa::UserStore& store_;
};

}  // namespace

// The issuer signing with the configured key; it draws token ids from `guids`, which must
// outlive it.
uaa::TokenIssuer make_issuer(const CcConfig& c, GuidGenerator& guids) {
  auto key = uaa::load_or_create_signing_key(c.token_signing_key_file);
  if (!key) throw std::runtime_error("token_signing_key_file: " + key.error().message);
  auto issuer = uaa::TokenIssuer::create(
      std::move(*key), {}, c.uaa_url,
      uaa::TokenLifetimes{
          std::chrono::duration_cast<std::chrono::seconds>(c.access_token_lifetime),
          std::chrono::duration_cast<std::chrono::seconds>(c.refresh_token_lifetime)},
      guids);
  if (!issuer) throw std::runtime_error("token signing key: " + issuer.error().message);
  return std::move(*issuer);
}

bits::Blobstore open_blobstore(const CcConfig& c) {
  auto store = bits::Blobstore::open(c.blobstore_dir);
  if (!store) throw std::runtime_error("blobstore_dir: " + store.error().message);
  return std::move(*store);
}

std::string load_secret(const CcConfig& c) {
  auto secret = load_or_create_secret(c.internal_secret_file);
  if (!secret) throw std::runtime_error("internal_secret_file: " + secret.error().message);
  return std::move(*secret);
}

BitsLimits bits_limits(const CcConfig& c) {
  BitsLimits l;
  l.unpack.max_total_bytes = c.max_package_bytes;
  l.max_upload_bytes = c.max_package_bytes;
  l.max_droplet_bytes = c.max_droplet_bytes;
  return l;
}

ServiceTimings service_timings(const CcConfig& c) {
  ServiceTimings t;
  t.broker_timeout = c.broker_timeout;
  t.poll_interval = c.broker_poll_interval;
  t.max_polling = c.broker_max_polling;
  return t;
}

struct CcProcess {
  CcProcess(const CcConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        log(ctx.log),
        clock(ctx.clock),
        hashing(2),
        pool(ex, pg::PoolOptions{.conninfo = c.database}, log.session("db")),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-cc"}, log),
        user_store(pool),
        revocation_store(pool),
        hasher(hashing.get_executor(), uaa::PasswordHashOptions{}),
        issuer(make_issuer(c, guids)),
        verifier(issuer.keys(), issuer.issuer(), revoked),
        token_service(user_store, revocation_store, revoked, issuer, clients, hasher, clock,
                      uaa::TokenServiceOptions{}, log.session("tokens")),
        user_admin(user_store, hasher, guids, clock, log.session("users")),
        authenticator(verifier, clock),
        directory(user_store),
        db(pool),
        apps(pool),
        droplets(pool),
        routes(pool),
        quotas(pool),
        settings(pool),
        events(pool),
        buildpacks(pool),
        services(pool),
        brokers(pool, guids),
        blocking(2),
        blobs(open_blobstore(c)),
        bits(blobs, bits_limits(c)),
        internal_secret(load_secret(c)),
        signer(c.internal_url, internal_secret),
        secrets(internal_secret),
        bbs_http(ex, http::ClientOptions{}, log.session("bbs-client")),
        broker_http(ex, http::ClientOptions{.user_agent = "cupola-cc"},
                    log.session("broker-client")),
        operations(ex, db, services, brokers, secrets, broker_http, log.session("services"),
                   service_timings(c)),
        bbs(bbs_http, c.bbs_url),
        metrics(bbs_http, c.log_cache_internal_url,
                [this]() -> Result<std::string> {
                  auto t =
                      issuer.client_access_token("cloud_controller", {"logs.admin"}, clock.now());
                  if (!t) return std::move(t).error();
                  return t->value;
                }),
        runtime(bbs, droplets, routes, settings, buildpacks, services, secrets, signer, clock,
                DiegoOptions{c.api_url, "cupolafs", c.staging_timeout}, log.session("bridge")),
        api{db,
            apps,
            authenticator,
            directory,
            guids,
            Urls{c.api_url, c.login_url, c.uaa_url, c.log_cache_url},
            log.session("api"),
            droplets,
            bits,
            runtime,
            signer,
            blocking,
            clock,
            routes,
            quotas,
            settings,
            events,
            buildpacks,
            blobs,
            metrics,
            services,
            secrets,
            brokers,
            broker_http,
            operations} {}
  ~CcProcess() {
    hashing.join();
    blocking.join();
  }

  asio::any_io_executor ex;
  log::Logger log;
  const Clock& clock;
  asio::thread_pool hashing;  // password hashing is slow on purpose: off the loop
  RandomGuidGenerator guids;
  pg::Pool pool;
  nats::Client nats;
  uaa::PgUserStore user_store;
  uaa::PgRevocationStore revocation_store;
  uaa::RevokedTokens revoked;
  uaa::ClientRegistry clients;
  uaa::PasswordHasher hasher;
  uaa::TokenIssuer issuer;
  uaa::TokenVerifier verifier;
  uaa::TokenService token_service;
  uaa::UserAdmin user_admin;
  VerifierAuthenticator authenticator;
  StoreDirectory directory;
  TenancyDb db;
  AppsDb apps;
  DropletsDb droplets;
  RoutesDb routes;
  QuotasDb quotas;
  SettingsDb settings;
  EventsDb events;
  BuildpacksDb buildpacks;
  ServicesDb services;
  BrokersDb brokers;
  asio::thread_pool blocking;  // file work: uploads, packages, droplets
  bits::Blobstore blobs;
  AppBits bits;
  std::string internal_secret;  // signs links, seals credentials
  UrlSigner signer;
  SecretBox secrets;
  http::Client bbs_http;
  http::Client broker_http;
  ServiceOperations operations;
  bbs::HttpBbsClient bbs;
  LogCacheMetrics metrics;
  DiegoRuntime runtime;
  ApiContext api;
};

std::shared_ptr<CcProcess> build_cc(const CcConfig& c, ServiceContext& ctx) {
  auto p = std::make_shared<CcProcess>(c, ctx);
  auto* raw = p.get();
  std::string admin = c.admin_username;
  std::string password = c.admin_password;
  std::string apps_domain = c.apps_domain;
  std::string buildpacks_dir = c.buildpacks_dir;

  ctx.group.add(std::make_shared<StepService>(
      raw->ex, "database",
      [raw, admin, password, apps_domain, buildpacks_dir]() -> asio::awaitable<void> {
        if (auto ready = co_await raw->pool.wait_ready(std::chrono::seconds(30)); !ready) {
          throw std::runtime_error("postgres did not answer: " + ready.error().message);
        }
        auto migrations = cc_migrations();
        auto uaa = uaa::uaa_migrations();
        migrations.insert(migrations.end(), uaa.begin(), uaa.end());
        auto applied = co_await pg::migrate(raw->pool, migrations, raw->log);
        if (!applied) {
          throw std::runtime_error("migrating the cc database failed: " + applied.error().message);
        }
        auto made = co_await uaa::ensure_admin(raw->user_store, raw->hasher, raw->guids, raw->clock,
                                               admin, password);
        if (!made) throw std::runtime_error("cannot make the admin user: " + made.error().message);
        if (auto st = co_await raw->db.ensure_user(made->guid); !st) {
          throw std::runtime_error("cannot record the admin user: " + st.error().message);
        }
        std::string domain_guid = raw->guids.next();
        if (auto st = co_await raw->routes.ensure_shared_domain(domain_guid, apps_domain); !st) {
          throw std::runtime_error("cannot make the apps domain: " + st.error().message);
        }
        if (!buildpacks_dir.empty()) {
          if (auto st = co_await install_bundled_buildpacks(raw->api, buildpacks_dir); !st) {
            throw std::runtime_error("cannot install the bundled buildpacks from " +
                                     buildpacks_dir + ": " + st.error().message);
          }
        }
        if (auto st = co_await raw->operations.resume(); !st) {
          throw std::runtime_error("cannot resume service operations: " + st.error().message);
        }
      }));
  component::add_nats(ctx.group, raw->ex, raw->nats);

  http::Router router = make_cc_router(raw->api);
  if (!c.dashboard_dir.empty()) add_dashboard_routes(router, c.dashboard_dir);
  uaa::add_uaa_routes(
      router, uaa::UaaRoutes{uaa::LoginInfo{c.login_url, c.uaa_url}, raw->issuer,
                             raw->token_service, raw->user_admin, raw->verifier, raw->clock});
  auto server = component::add_http_server(ctx.group, raw->ex, c.listen_address, std::move(router),
                                           raw->nats, ctx.log);
  server->set_error_renderer([](http::StatusCode status, std::string_view message) {
    if (status == http::StatusCode::not_found) return error_response(unknown_request());
    CcError e;
    e.status = status;
    e.detail = std::string(message);
    if (status == http::StatusCode::bad_request) e = message_parse(std::string(message));
    return error_response(e);
  });
  component::add_announcer(ctx.group, raw->nats, "cc", c.listen_address, *server, ctx.log);
  router_api::add_route_registrar(
      ctx.group, raw->nats, c.routes, c.listen_address,
      [s = server.get()] { return static_cast<std::uint32_t>(s->port()); }, raw->guids.next(),
      ctx.log);
  // The app's API lines go out through the log client (a service of the group).
  auto logs = std::make_shared<loggregator::LogClient>(
      raw->ex, raw->nats, raw->clock, loggregator::BatcherOptions{}, ctx.log.session("app-logs"));
  ctx.group.add(logs);
  raw->api.app_log = [logs](const std::string& app, std::string line) {
    logs->emit(loggregator::make_log(0, app, "0", "API", std::move(line)));
  };
  ctx.group.add(std::make_shared<BulkSync>(raw->ex, raw->runtime, c.bulk_sync_interval,
                                           ctx.log.session("nsync")));
  ctx.group.add(std::make_shared<CrashWatcher>(raw->ex, raw->bbs, raw->apps, raw->events,
                                               raw->guids, raw->api.app_log,
                                               ctx.log.session("tps")));
  ctx.group.add(std::make_shared<uaa::RevocationSync>(raw->ex, raw->revocation_store, raw->revoked,
                                                      raw->clock, std::chrono::seconds(10),
                                                      ctx.log.session("revocations")));
  return p;
}

}  // namespace cupola::cc
