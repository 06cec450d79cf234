#include <array>
#include <charconv>

#include "cloud_controller/src/uaa/errors.h"
#include "cloud_controller/src/uaa/form.h"
#include "cloud_controller/src/uaa/http_answers.h"
#include "cloud_controller/src/uaa/routes.h"
#include "cloud_controller/src/uaa/scim.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {

using Scopes = std::span<const std::string_view>;

constexpr std::array<std::string_view, 3> kCreateScopes = {"scim.write", "scim.create",
                                                           "uaa.admin"};
constexpr std::array<std::string_view, 2> kReadScopes = {"scim.read", "uaa.admin"};
constexpr std::array<std::string_view, 2> kDeleteScopes = {"scim.write", "uaa.admin"};

constexpr std::size_t kDefaultCount = 100;
constexpr std::size_t kMaxCount = 500;

Result<Caller> caller_of(const RequestContext& ctx, const TokenVerifier& verifier,
                         const Clock& clock) {
  auto authorization = ctx.request[http::bhttp::field::authorization];
  return verifier.authenticate(std::string_view(authorization.data(), authorization.size()),
                               clock.now());
}

bool allowed(const Caller& caller, Scopes scopes) {
  for (auto s : scopes) {
    if (caller.has_scope(s)) return true;
  }
  return false;
}

std::size_t number_or(const std::map<std::string, std::string>& query, const std::string& name,
                      std::size_t fallback) {
  auto it = query.find(name);
  if (it == query.end()) return fallback;
  std::size_t n = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || end != s.data() + s.size()) return fallback;
  return n;
}

Response answer_error(const RequestContext& ctx, const Error& error) {
  if (error.code.category() != uaa_category()) ctx.log.error("users.failed", error.describe());
  return scim_error_response(error);
}

}  // namespace

void add_user_routes(http::Router& r, UserAdmin& users, const TokenVerifier& verifier,
                     const Clock& clock) {
  r.post("/Users", [&users, &verifier, &clock](RequestContext& ctx) -> asio::awaitable<Response> {
    auto caller = caller_of(ctx, verifier, clock);
    if (!caller) co_return oauth_error_response(caller.error());
    if (!allowed(*caller, kCreateScopes)) co_return insufficient_scope_response(kCreateScopes);
    auto request = parse_new_user(ctx.request.body());
    if (!request) co_return answer_error(ctx, request.error());
    auto create_op = users.create(std::move(request).value());
    auto created = co_await std::move(create_op);
    if (!created) co_return answer_error(ctx, created.error());
    auto res = http::json_response(http::StatusCode::created, scim_user_json(*created));
    res.set(http::bhttp::field::etag, "\"" + std::to_string(created->version) + "\"");
    co_return res;
  });

  r.get("/Users", [&users, &verifier, &clock](RequestContext& ctx) -> asio::awaitable<Response> {
    auto caller = caller_of(ctx, verifier, clock);
    if (!caller) co_return oauth_error_response(caller.error());
    if (!allowed(*caller, kReadScopes)) co_return insufficient_scope_response(kReadScopes);
    // Go's url.Values encodes spaces as '+': decode the query as a form.
    auto query = parse_form(ctx.query());
    if (!query) {
      co_return answer_error(ctx, uaa_error(UaaErrc::InvalidFilter, "Malformed query string."));
    }
    UserFilter filter;
    if (auto it = query->find("filter"); it != query->end() && !it->second.empty()) {
      auto parsed = parse_user_filter(it->second);
      if (!parsed) co_return answer_error(ctx, parsed.error());
      filter = std::move(*parsed);
    }
    std::size_t start = std::max<std::size_t>(1, number_or(*query, "startIndex", 1));
    std::size_t count = std::min(kMaxCount, number_or(*query, "count", kDefaultCount));
    auto find_op = users.find(std::move(filter), start - 1, count);
    auto page = co_await std::move(find_op);
    if (!page) co_return answer_error(ctx, page.error());
    co_return http::json_response(http::StatusCode::ok, scim_list_json(*page, start, count));
  });

  r.get("/Users/:id",
        [&users, &verifier, &clock](RequestContext& ctx) -> asio::awaitable<Response> {
          auto caller = caller_of(ctx, verifier, clock);
          if (!caller) co_return oauth_error_response(caller.error());
          std::string id(ctx.params.get("id"));
          if (!allowed(*caller, kReadScopes) && caller->user_id != id) {
            co_return insufficient_scope_response(kReadScopes);
          }
          auto get_op = users.get(std::move(id));
          auto user = co_await std::move(get_op);
          if (!user) co_return answer_error(ctx, user.error());
          co_return http::json_response(http::StatusCode::ok, scim_user_json(*user));
        });

  r.del("/Users/:id",
        [&users, &verifier, &clock](RequestContext& ctx) -> asio::awaitable<Response> {
          auto caller = caller_of(ctx, verifier, clock);
          if (!caller) co_return oauth_error_response(caller.error());
          if (!allowed(*caller, kDeleteScopes)) {
            co_return insufficient_scope_response(kDeleteScopes);
          }
          auto remove_op = users.remove(std::string(ctx.params.get("id")));
          auto removed = co_await std::move(remove_op);
          if (!removed) co_return answer_error(ctx, removed.error());
          co_return http::json_response(http::StatusCode::ok, scim_user_json(*removed));
        });
}

}  // namespace cupola::cc::uaa
