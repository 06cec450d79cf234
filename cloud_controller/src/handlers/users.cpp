#include <algorithm>
#include <set>

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kUserList{{"guids", "usernames", "origins"}, {"created_at", "updated_at"}, {}};

// The users `caller` may see: everyone for admins; else themselves and whoever holds a role
// where they can see it.
asio::awaitable<Result<std::set<std::string>>> visible_user_guids(ApiContext& api,
                                                                  const Caller& caller) {
  std::set<std::string> out{caller.user_guid};
  ListQuery q;
  q.per_page = kMaxPerPage;
  for (std::int64_t page = 1; page <= 100; ++page) {
    q.page = page;
    auto roles = co_await api.db.list_roles(caller.viewer(), q);
    if (!roles) co_return std::move(roles).error();
    for (const auto& r : roles->resources) out.insert(r.user_guid);
    if (q.offset() + q.per_page >= roles->total) break;
  }
  co_return out;
}

}  // namespace

void add_user_and_job_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/users", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto q = parse_list_query(ctx.query(), kUserList);
    if (!q) co_return error_response(bad_query(q.error().message));
    // Candidates by name (with the origins asked for, or uaa) or by guid.
    std::vector<UserIdentity> candidates;
    if (auto* names = q->filter("usernames")) {
      std::vector<std::string> origins{"uaa"};
      if (auto* o = q->filter("origins")) origins = *o;
      for (const auto& name : *names) {
        for (const auto& origin : origins) {
          auto found = co_await api.users.find_by_name(name, origin);
          if (!found) co_return store_error(api, found.error());
          if (*found) candidates.push_back(**found);
        }
      }
    } else {
      std::vector<std::string> guids;
      if (auto* g = q->filter("guids")) guids = *g;
      if (guids.empty()) {
        auto visible = co_await visible_user_guids(api, caller);
        if (!visible) co_return store_error(api, visible.error());
        guids.assign(visible->begin(), visible->end());
      }
      auto found = co_await api.users.find_by_guids(guids);
      if (!found) co_return store_error(api, found.error());
      candidates = std::move(*found);
    }
    // Only users the CC knows, and (for non-admins) may see.
    std::vector<std::string> guids;
    for (const auto& u : candidates) guids.push_back(u.guid);
    auto known = co_await api.db.known_users(guids);
    if (!known) co_return store_error(api, known.error());
    std::set<std::string> visible;
    if (!caller.viewer().sees_everything()) {
      auto v = co_await visible_user_guids(api, caller);
      if (!v) co_return store_error(api, v.error());
      visible = std::move(*v);
    }
    std::vector<UserIdentity> users;
    for (const auto& u : candidates) {
      bool is_known = std::find(known->begin(), known->end(), u.guid) != known->end();
      if (is_known && (caller.viewer().sees_everything() || visible.contains(u.guid))) {
        users.push_back(u);
      }
    }
    std::sort(users.begin(), users.end(),
              [](const UserIdentity& a, const UserIdentity& b) { return a.guid < b.guid; });
    auto total = static_cast<std::int64_t>(users.size());
    json::Writer w;
    w.start_object();
    write_pagination(w, *q, total, api.urls.api + "/v3/users");
    w.key("resources").start_array();
    for (std::int64_t i = q->offset(); i < total && i < q->offset() + q->per_page; ++i) {
      write_user(w, api.urls, users[static_cast<std::size_t>(i)]);
    }
    w.end_array().end_object();
    co_return respond(http::StatusCode::ok, w);
  });

  r.get("/v3/users/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    std::string guid(ctx.params.get("guid"));
    if (!caller.viewer().sees_everything()) {
      auto visible = co_await visible_user_guids(api, caller);
      if (!visible) co_return store_error(api, visible.error());
      if (!visible->contains(guid)) co_return error_response(not_found("User"));
    }
    std::vector<std::string> one{guid};
    auto known = co_await api.db.known_users(one);
    if (!known) co_return store_error(api, known.error());
    if (known->empty()) co_return error_response(not_found("User"));
    auto found = co_await api.users.find_by_guids(one);
    if (!found) co_return store_error(api, found.error());
    UserIdentity u{guid, "", ""};
    if (!found->empty()) u = found->front();
    json::Writer w;
    write_user(w, api.urls, u);
    co_return respond(http::StatusCode::ok, w);
  });

  r.post("/v3/users", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    if (!std::get<Caller>(who).admin) co_return error_response(not_authorized());
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    if (!doc.HasMember("guid") || !doc["guid"].IsString() || doc["guid"].GetStringLength() == 0) {
      co_return error_response(unprocessable("Guid must be a string"));
    }
    std::vector<std::string> one{doc["guid"].GetString()};
    auto found = co_await api.users.find_by_guids(one);
    if (!found) co_return store_error(api, found.error());
    // A guid the token service does not know is a client's: kept without a name.
    UserIdentity u{one.front(), "", ""};
    if (!found->empty()) u = found->front();
    if (auto st = co_await api.db.ensure_user(u.guid); !st) co_return store_error(api, st.error());
    json::Writer w;
    write_user(w, api.urls, u);
    co_return respond(http::StatusCode::created, w);
  });

  r.del("/v3/users/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    if (!caller.admin) co_return error_response(not_found("User"));
    std::vector<std::string> one{std::string(ctx.params.get("guid"))};
    auto known = co_await api.db.known_users(one);
    if (!known) co_return store_error(api, known.error());
    if (known->empty()) co_return error_response(not_found("User"));
    if (auto st = co_await api.db.delete_user(one.front()); !st) {
      co_return store_error(api, st.error());
    }
    auto job = co_await completed_job(api, "user.delete", caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });

  r.get("/v3/jobs/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto job = co_await api.db.job(std::string(ctx.params.get("guid")));
    if (!job) co_return store_error(api, job.error());
    if (!*job || (!caller.viewer().sees_everything() && (*job)->user_guid != caller.user_guid)) {
      co_return error_response(not_found("Job"));
    }
    json::Writer w;
    write_job(w, api.urls, **job);
    co_return respond(http::StatusCode::ok, w);
  });
}

}  // namespace cupola::cc
