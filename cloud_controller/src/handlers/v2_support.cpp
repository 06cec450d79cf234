#include "cloud_controller/src/handlers/v2_support.h"

#include <chrono>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "cloud_controller/src/handlers/handlers.h"
#include "cloud_controller/src/handlers/v2_json.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

// How often a v2 request looks at the stored operation (ServiceOperations runs it), and how
// many times (15 s in all): a broker slower than that is reported as still working (202), as an
// asynchronous one is.
constexpr std::chrono::milliseconds kSettlePoll{100};
constexpr int kSettlePolls = 150;

Viewer everyone() {
  Viewer v;
  v.admin = true;
  return v;
}

asio::awaitable<void> pause() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(kSettlePoll);
  co_await t.async_wait(asio::use_awaitable);
}

}  // namespace

void add_v2_routes(http::Router& r, ApiContext& api) {
  add_v2_catalog_routes(r, api);
  add_v2_instance_routes(r, api);
  add_v2_binding_routes(r, api);
  add_v2_app_and_space_routes(r, api);
}

asio::awaitable<std::variant<Caller, http::Response>> v2_authenticate(ApiContext& api,
                                                                      http::RequestContext& ctx) {
  auto who = co_await authenticate(api, ctx);
  if (auto* refusal = std::get_if<http::Response>(&who)) co_return v2_answer(std::move(*refusal));
  co_return std::get<Caller>(std::move(who));
}

std::variant<json::Document, http::Response> v2_body(const http::RequestContext& ctx) {
  auto doc = json::parse(ctx.request.body());
  if (!doc || !doc->IsObject()) {
    return v2_error(v2_failure(http::StatusCode::bad_request, 1001, "MessageParseError",
                               "Request invalid due to parse error: invalid request body"));
  }
  return std::move(*doc);
}

asio::awaitable<std::variant<Space, http::Response>> v2_space(ApiContext& api, const Caller& caller,
                                                              std::string guid) {
  auto space = co_await api.db.space(caller.viewer(), guid);
  if (!space) co_return v2_answer(store_error(api, space.error()));
  if (!*space) co_return v2_error(space_not_found(guid));
  co_return std::move(**space);
}

asio::awaitable<std::variant<ServiceInstance, http::Response>> v2_instance(ApiContext& api,
                                                                           const Caller& caller,
                                                                           std::string guid) {
  auto i = co_await api.services.instance(caller.viewer(), guid);
  if (!i) co_return v2_answer(store_error(api, i.error()));
  if (!*i) co_return v2_error(service_instance_not_found(guid));
  co_return std::move(**i);
}

asio::awaitable<std::optional<http::Response>> v2_refusal_unless(ApiContext& api,
                                                                 const Caller& caller,
                                                                 std::string space_guid,
                                                                 std::vector<std::string> roles) {
  auto allowed = co_await may_in_space(api, caller, std::move(space_guid), std::move(roles));
  if (!allowed) co_return v2_answer(store_error(api, allowed.error()));
  if (!*allowed) co_return v2_answer(error_response(not_authorized()));
  co_return std::nullopt;
}

asio::awaitable<Result<bool>> instance_name_taken(ApiContext& api, std::string space_guid,
                                                  std::string name) {
  ListQuery q;
  q.per_page = 1;
  q.filters["space_guids"] = {std::move(space_guid)};
  q.filters["names"] = {std::move(name)};
  auto page = co_await api.services.list_instances(everyone(), std::move(q));
  if (!page) co_return std::move(page).error();
  co_return page->total > 0;
}

asio::awaitable<Result<bool>> reads_credentials(ApiContext& api, const Caller& caller,
                                                std::string space_guid) {
  if (caller.reads_secrets_globally()) co_return true;
  co_return co_await may_in_space(api, caller, std::move(space_guid), kV2Developers);
}

std::string opened_credentials(ApiContext& api, const std::string& sealed) {
  if (sealed.empty()) return "{}";
  auto opened = api.secrets.open(sealed);
  if (!opened) {
    api.log.error("credentials-unopenable", opened.error().message);
    return "{}";
  }
  return *opened;
}

asio::awaitable<Result<std::vector<ShownBinding>>> shown_bindings(
    ApiContext& api, Caller caller, std::vector<ServiceBinding> bindings) {
  std::map<std::string, std::string> space_of;  // instance guid → space guid
  if (!bindings.empty()) {
    ListQuery q;
    q.per_page = kMaxPerPage;
    for (const auto& b : bindings) q.filters["guids"].push_back(b.service_instance_guid);
    auto page = co_await api.services.list_instances(everyone(), std::move(q));
    if (!page) co_return std::move(page).error();
    for (const auto& i : page->resources) space_of[i.guid] = i.space_guid;
  }
  std::map<std::string, bool> reads;  // by space
  std::vector<ShownBinding> out;
  for (auto& b : bindings) {
    const std::string& space = space_of[b.service_instance_guid];
    if (!reads.contains(space)) {
      auto may = co_await reads_credentials(api, caller, space);
      if (!may) co_return std::move(may).error();
      reads[space] = *may;
    }
    std::string shown = reads[space] ? opened_credentials(api, b.credentials_sealed)
                                     : std::string(kRedactedCredentials);
    out.emplace_back(std::move(b), std::move(shown));
  }
  co_return out;
}

asio::awaitable<Result<std::map<std::string, ServicePlan>>> plans_of(
    ApiContext& api, std::vector<ServiceInstance> instances) {
  std::map<std::string, ServicePlan> out;
  ListQuery q;
  q.per_page = kMaxPerPage;
  for (const auto& i : instances) {
    if (i.plan_guid) q.filters["guids"].push_back(*i.plan_guid);
  }
  if (!q.filter("guids")) co_return out;
  auto page = co_await api.brokers.list_plans(everyone(), std::move(q));
  if (!page) co_return std::move(page).error();
  for (auto& p : page->resources) out.emplace(p.guid, std::move(p));
  co_return out;
}

asio::awaitable<Result<std::vector<std::string>>> rendered_instances(
    ApiContext& api, Caller caller, std::vector<ServiceInstance> instances, bool inline_relations) {
  auto plans = co_await plans_of(api, instances);
  if (!plans) co_return std::move(plans).error();
  std::map<std::string, V2Inlined> inlined;
  if (inline_relations && !instances.empty()) {
    ListQuery q;
    q.per_page = kMaxPerPage;
    for (const auto& i : instances) q.filters["service_instance_guids"].push_back(i.guid);
    auto page = co_await api.services.list_bindings(caller.viewer(), std::move(q));
    if (!page) co_return std::move(page).error();
    auto shown = co_await shown_bindings(api, caller, std::move(page->resources));
    if (!shown) co_return std::move(shown).error();
    for (auto& b : *shown) {
      auto& to = inlined[b.first.service_instance_guid];
      (b.first.type == "key" ? to.keys : to.bindings).push_back(std::move(b));
    }
  }
  std::map<std::string, bool> reads;  // by space
  std::vector<std::string> out;
  for (const auto& i : instances) {
    std::string credentials = "{}";
    if (i.type != "managed") {
      if (!reads.contains(i.space_guid)) {
        auto may = co_await reads_credentials(api, caller, i.space_guid);
        if (!may) co_return std::move(may).error();
        reads[i.space_guid] = *may;
      }
      credentials = reads[i.space_guid] ? opened_credentials(api, i.credentials_sealed)
                                        : std::string(kRedactedCredentials);
    }
    auto plan = plans->find(i.plan_guid.value_or(""));
    json::Writer w;
    write_v2_instance(w, i, plan == plans->end() ? nullptr : &plan->second, credentials,
                      inline_relations ? &inlined[i.guid] : nullptr);
    out.push_back(w.str());
  }
  co_return out;
}

asio::awaitable<http::Response> answer_instance(ApiContext& api, Caller caller,
                                                ServiceInstance instance, http::StatusCode status) {
  std::vector<ServiceInstance> one;
  one.push_back(std::move(instance));
  auto rendered = co_await rendered_instances(api, std::move(caller), std::move(one), false);
  if (!rendered) co_return v2_answer(store_error(api, rendered.error()));
  co_return http::json_response(status, std::move(rendered->front()));
}

asio::awaitable<Result<std::optional<ServiceInstance>>> settled_instance(ApiContext& api,
                                                                         std::string guid,
                                                                         bool until_accepted) {
  for (int polls = 0;; ++polls) {
    auto i = co_await api.services.stored_instance(guid);
    if (!i) {
      if (i.error().code == make_error_code(Errc::NotFound)) co_return std::nullopt;
      co_return std::move(i).error();
    }
    bool working = i->operation.state == "in progress";
    if (!working || (until_accepted && i->broker_operation) || polls == kSettlePolls) {
      co_return std::optional(std::move(*i));
    }
    co_await pause();
  }
}

asio::awaitable<Result<std::optional<ServiceBinding>>> settled_binding(ApiContext& api,
                                                                       std::string guid,
                                                                       bool until_accepted) {
  for (int polls = 0;; ++polls) {
    auto b = co_await api.services.binding(everyone(), guid);
    if (!b) co_return std::move(b).error();
    if (!*b) co_return std::nullopt;
    bool working = (*b)->operation.state == "in progress";
    if (!working || (until_accepted && (*b)->broker_operation) || polls == kSettlePolls) {
      co_return std::move(*b);
    }
    co_await pause();
  }
}

}  // namespace cupola::cc
