#pragma once

// What every Cloud Controller handler shares, and the helpers they answer with.

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include "cloud_controller/src/api/errors.h"
#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/auth/caller.h"
#include "cloud_controller/src/bridge/container_metrics.h"
#include "cloud_controller/src/bridge/runtime.h"
#include "cloud_controller/src/bridge/signer.h"
#include "cloud_controller/src/db/apps_db.h"
#include "cloud_controller/src/db/brokers_db.h"
#include "cloud_controller/src/db/buildpacks_db.h"
#include "cloud_controller/src/db/droplets_db.h"
#include "cloud_controller/src/db/events_db.h"
#include "cloud_controller/src/db/quotas_db.h"
#include "cloud_controller/src/db/routes_db.h"
#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/db/settings_db.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "cloud_controller/src/storage/secret_box.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/http/context.h"
#include "common/json/json.h"
#include "common/log/log.h"

namespace cupola::cc {

// The platform's public base URLs, as clients reach them (through the router).
struct Urls {
  std::string api;        // "https://api.localhost:8443"
  std::string login;      // token server: /login, /oauth/token
  std::string uaa;        // token server: /Users
  std::string log_cache;  // the log store
};

class AppBits;
class ServiceOperations;
namespace bits {
class Blobstore;
}

struct ApiContext {
  TenancyDb& db;
  AppsDb& apps;
  Authenticator& auth;
  UserDirectory& users;
  GuidGenerator& guids;
  Urls urls;
  log::Logger log;
  DropletsDb& droplets;
  AppBits& bits;                       // packages, droplets and the resource cache on disk
  Runtime& runtime;                    // staging and running (the bridge to Diego)
  const UrlSigner& signer;             // links for cells and the BBS (/internal)
  boost::asio::thread_pool& blocking;  // file work off the event loop
  const Clock& clock;
  RoutesDb& routes;
  QuotasDb& quotas;
  SettingsDb& settings;
  EventsDb& events;
  BuildpacksDb& buildpacks;
  bits::Blobstore& blobs;     // buildpacks' bits
  ContainerMetrics& metrics;  // what instances use, for process stats
  ServicesDb& services;
  const SecretBox& secrets;  // seals service credentials at rest
  BrokersDb& brokers;
  http::Client& broker_http;      // requests to service brokers
  ServiceOperations& operations;  // what managed instances and bindings ask of brokers
  // Writes one line of an app's logs, tagged API (what `cf logs` shows of its changes); none
  // when nothing collects them.
  std::function<void(const std::string& app_guid, std::string line)> app_log = {};
};

// Writes one page of a list: the "resources" member (and "included", if asked for) for the
// caller and query, returning how many resources the query matches in all.
using ListWriter = std::function<boost::asio::awaitable<Result<std::int64_t>>(
    Caller caller, ListQuery query, json::Writer& w)>;

// A list endpoint: authenticates, parses the query against `spec`, lets `write` add the page,
// and adds the pagination for `path` ("/v3/organizations"). 401, 400 or 503 as they apply.
boost::asio::awaitable<http::Response> answer_list(ApiContext& api, http::RequestContext& ctx,
                                                   const ListSpec& spec, std::string path,
                                                   ListWriter write);

struct AppAccess {
  Caller caller;
  App app;
};

// The caller and the app the route's :guid names, when the caller sees the app and (unless
// `roles` is empty) is an admin or holds one of `roles` in its space; or the 401, 404 "App not
// found" or 403 to answer.
boost::asio::awaitable<std::variant<AppAccess, http::Response>> app_access(
    ApiContext& api, http::RequestContext& ctx, std::vector<std::string> roles);

// Whether `caller` is an admin or holds one of `roles` in the space.
boost::asio::awaitable<Result<bool>> may_in_space(ApiContext& api, const Caller& caller,
                                                  std::string space_guid,
                                                  std::vector<std::string> roles);

// The caller, or the 401 to answer.
boost::asio::awaitable<std::variant<Caller, http::Response>> authenticate(
    ApiContext& api, http::RequestContext& ctx);

// The answer to a failed store call: 503 when the database is away, else 500 (logged).
http::Response store_error(ApiContext& api, const Error& error);

// The request body as a JSON object, or the 400/422 to answer.
std::variant<json::Document, http::Response> json_object_body(const http::RequestContext& ctx);

// Cloud Foundry's refusal of members a request may not have ("Unknown field(s): 'a', 'b'"),
// and of a "relationships" member that is not an object; nothing when the body is fine.
std::optional<CcError> unknown_fields(const json::Value& body,
                                      std::initializer_list<std::string_view> allowed);

http::Response respond(http::StatusCode status, const json::Writer& w);
// 202 with Location: <api>/v3/jobs/<guid> and the job as its body.
http::Response accepted_job(const ApiContext& api, const Job& job);

void write_organization(json::Writer& w, const Urls& urls, const Organization& o);
void write_space(json::Writer& w, const Urls& urls, const Space& s);
void write_role(json::Writer& w, const Urls& urls, const Role& r);
void write_user(json::Writer& w, const Urls& urls, const UserIdentity& u);
void write_job(json::Writer& w, const Urls& urls, const Job& j);
void write_app(json::Writer& w, const Urls& urls, const App& a);
void write_process(json::Writer& w, const Urls& urls, const Process& p);
void write_metadata(json::Writer& w);  // {"labels":{},"annotations":{}}

// A finished job recording what was just done (deletes run at once, in one transaction).
boost::asio::awaitable<Result<Job>> completed_job(ApiContext& api, std::string operation,
                                                  std::string user_guid);

}  // namespace cupola::cc
