// /v3/service_brokers: registering an Open Service Broker, refreshing its catalog, removing
// it. Admins register brokers for everyone; space developers, space-scoped brokers for their
// space. The catalog is fetched and checked before anything is stored, so a broker that cannot
// be reached or whose catalog is invalid leaves nothing behind.

#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/route_json.h"
#include "cloud_controller/src/services/broker_client.h"
#include "cloud_controller/src/services/catalog.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kBrokerList{
    {"guids", "names", "space_guids"}, {"created_at", "updated_at", "name"}, {}};
const std::vector<std::string> kDevelopers{"space_developer"};

void write_broker(json::Writer& w, const Urls& urls, const ServiceBroker& b) {
  std::string self = urls.api + "/v3/service_brokers/" + b.guid;
  w.start_object();
  w.field("guid", b.guid).field("name", b.name).field("url", b.url);
  w.field("created_at", b.created_at).field("updated_at", b.updated_at);
  w.key("relationships").start_object();
  if (b.space_guid) {
    w.key("space").start_object().key("data").start_object().field("guid", *b.space_guid);
    w.end_object().end_object();
  }
  w.end_object();
  write_metadata(w);
  w.key("links").start_object();
  w.key("self").start_object().field("href", self).end_object();
  w.key("service_offerings").start_object();
  w.field("href", urls.api + "/v3/service_offerings?service_broker_guids=" + b.guid).end_object();
  if (b.space_guid) {
    w.key("space").start_object().field("href", urls.api + "/v3/spaces/" + *b.space_guid);
    w.end_object();
  }
  w.end_object().end_object();
}

// name, url and authentication of a create (all required) or an update (any); what goes wrong
// in Cloud Foundry's words.
std::optional<CcError> read_broker_fields(const json::Value& doc, ServiceBroker& b,
                                          std::string& password, bool create) {
  if (auto e =
          unknown_fields(doc, {"name", "url", "authentication", "relationships", "metadata"})) {
    return e;
  }
  if (auto n = doc.FindMember("name"); n != doc.MemberEnd()) {
    if (!n->value.IsString() || n->value.GetStringLength() == 0) {
      return unprocessable("Name must be a string and can't be blank");
    }
    b.name = n->value.GetString();
  } else if (create) {
    return unprocessable("Name must be a string");
  }
  if (auto u = doc.FindMember("url"); u != doc.MemberEnd()) {
    if (!u->value.IsString()) return unprocessable("Url must be a string");
    std::string url = u->value.GetString();
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      return unprocessable("Url must be a valid url");
    }
    b.url = url;
  } else if (create) {
    return unprocessable("Url must be a valid url");
  }
  if (auto a = doc.FindMember("authentication"); a != doc.MemberEnd()) {
    const json::Value& auth = a->value;
    bool basic = auth.IsObject() && auth.HasMember("type") && auth["type"].IsString() &&
                 std::string_view(auth["type"].GetString()) == "basic";
    const json::Value* creds =
        basic && auth.HasMember("credentials") ? &auth["credentials"] : nullptr;
    if (creds == nullptr || !creds->IsObject() || !creds->HasMember("username") ||
        !(*creds)["username"].IsString() || !creds->HasMember("password") ||
        !(*creds)["password"].IsString()) {
      return unprocessable(
          "Authentication must be {\"type\": \"basic\", \"credentials\": {\"username\": ..., "
          "\"password\": ...}}");
    }
    b.username = (*creds)["username"].GetString();
    password = (*creds)["password"].GetString();
  } else if (create) {
    return unprocessable("Authentication must be an object");
  }
  return std::nullopt;
}

// The broker's catalog, fetched and checked; or the 502 to answer.
asio::awaitable<std::variant<services::Catalog, http::Response>> catalog_of(ApiContext& api,
                                                                            std::string url,
                                                                            std::string username,
                                                                            std::string password,
                                                                            std::string user_guid) {
  // Named first: GCC 12 mishandles a braced temporary among co_await's arguments.
  services::BrokerEndpoint endpoint{url, username, password};
  auto text = co_await services::fetch_catalog(api.broker_http, std::move(endpoint), user_guid);
  CcError bad;
  bad.status = http::StatusCode::bad_gateway;
  if (!text) {
    bad.code = 10001;
    bad.title = "CF-ServiceBrokerBadResponse";
    bad.detail = text.error().message;
    co_return error_response(bad);
  }
  auto catalog = services::parse_catalog(*text);
  if (!catalog) {
    bad.code = 270012;
    bad.title = "CF-ServiceBrokerCatalogInvalid";
    bad.detail = catalog.error().message;
    co_return error_response(bad);
  }
  co_return std::move(*catalog);
}

asio::awaitable<http::Response> create_broker(ApiContext& api, http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  const Caller& caller = std::get<Caller>(who);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  ServiceBroker b;
  std::string password;
  if (auto e = read_broker_fields(doc, b, password, true)) co_return error_response(*e);
  std::string space_guid = related_guid(doc, "space");
  if (!space_guid.empty()) {
    auto space = co_await api.db.space(caller.viewer(), space_guid);
    if (!space) co_return store_error(api, space.error());
    if (!*space) {
      co_return error_response(
          unprocessable("Invalid space. Ensure that the space exists and you have access to it."));
    }
    auto allowed = co_await may_in_space(api, caller, space_guid, kDevelopers);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    b.space_guid = space_guid;
  } else if (!caller.admin) {
    co_return error_response(not_authorized());
  }
  auto catalog = co_await catalog_of(api, b.url, b.username, password, caller.user_guid);
  if (auto* refusal = std::get_if<http::Response>(&catalog)) co_return std::move(*refusal);
  auto sealed = api.secrets.seal(password);
  if (!sealed) co_return error_response(server_error());
  b.password_sealed = *sealed;
  b.guid = api.guids.next();
  auto made =
      co_await api.brokers.create_broker(b, std::move(std::get<services::Catalog>(catalog)));
  if (!made) {
    if (made.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(uniqueness(made.error().message));
    }
    co_return store_error(api, made.error());
  }
  api.log.info("service-broker-registered", {{"guid", made->guid}, {"name", made->name}});
  auto job = co_await completed_job(api, "service_broker.catalog.synchronize", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  co_return accepted_job(api, *job);
}

struct BrokerAccess {
  Caller caller;
  ServiceBroker broker;
};

// The broker the route names, for its admins (or the space developers of a space-scoped one).
asio::awaitable<std::variant<BrokerAccess, http::Response>> broker_access(ApiContext& api,
                                                                          http::RequestContext& ctx,
                                                                          bool change) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
  Caller caller = std::get<Caller>(who);
  auto b = co_await api.brokers.broker(caller.viewer(), std::string(ctx.params.get("guid")));
  if (!b) co_return store_error(api, b.error());
  if (!*b) co_return error_response(not_found("Service broker"));
  if (change && !caller.admin) {
    if (!(*b)->space_guid) co_return error_response(not_authorized());
    auto allowed = co_await may_in_space(api, caller, *(*b)->space_guid, kDevelopers);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
  }
  co_return BrokerAccess{std::move(caller), std::move(**b)};
}

asio::awaitable<http::Response> update_broker(ApiContext& api, http::RequestContext& ctx) {
  auto access = co_await broker_access(api, ctx, true);
  if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
  auto& [caller, b] = std::get<BrokerAccess>(access);
  auto body = json_object_body(ctx);
  if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
  const auto& doc = std::get<json::Document>(body);
  ServiceBroker changed = b;
  std::string password;
  if (auto e = read_broker_fields(doc, changed, password, false)) co_return error_response(*e);
  if (password.empty()) {
    auto opened = api.secrets.open(b.password_sealed);
    if (!opened) co_return error_response(server_error());
    password = *opened;
  } else {
    auto sealed = api.secrets.seal(password);
    if (!sealed) co_return error_response(server_error());
    changed.password_sealed = *sealed;
  }
  // Anything but a new name refreshes the catalog (Cloud Foundry's PATCH does the same).
  auto catalog =
      co_await catalog_of(api, changed.url, changed.username, password, caller.user_guid);
  if (auto* refusal = std::get_if<http::Response>(&catalog)) co_return std::move(*refusal);
  auto saved =
      co_await api.brokers.update_broker(changed, std::move(std::get<services::Catalog>(catalog)));
  if (!saved) {
    if (saved.error().code == make_error_code(Errc::Conflict)) {
      co_return error_response(uniqueness(saved.error().message));
    }
    co_return store_error(api, saved.error());
  }
  auto job = co_await completed_job(api, "service_broker.update", caller.user_guid);
  if (!job) co_return store_error(api, job.error());
  co_return accepted_job(api, *job);
}

}  // namespace

void add_service_broker_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/service_brokers", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.brokers.list_brokers(caller.viewer(), std::move(q));
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& b : page->resources) write_broker(w, api.urls, b);
      w.end_array();
      co_return page->total;
    };
    return answer_list(api, ctx, kBrokerList, "/v3/service_brokers", std::move(write));
  });
  r.get("/v3/service_brokers/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await broker_access(api, ctx, false);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          json::Writer w;
          write_broker(w, api.urls, std::get<BrokerAccess>(access).broker);
          co_return respond(http::StatusCode::ok, w);
        });
  r.post("/v3/service_brokers",
         [&api](http::RequestContext& ctx) { return create_broker(api, ctx); });
  r.patch("/v3/service_brokers/:guid",
          [&api](http::RequestContext& ctx) { return update_broker(api, ctx); });
  r.del("/v3/service_brokers/:guid",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto access = co_await broker_access(api, ctx, true);
          if (auto* refusal = std::get_if<http::Response>(&access)) co_return std::move(*refusal);
          const auto& [caller, b] = std::get<BrokerAccess>(access);
          std::string guid = b.guid;
          if (auto gone = co_await api.brokers.delete_broker(guid); !gone) {
            if (gone.error().code == make_error_code(Errc::Conflict)) {
              co_return error_response(unprocessable(gone.error().message));
            }
            co_return store_error(api, gone.error());
          }
          auto job = co_await completed_job(api, "service_broker.delete", caller.user_guid);
          if (!job) co_return store_error(api, job.error());
          co_return accepted_job(api, *job);
        });
}

}  // namespace cupola::cc
