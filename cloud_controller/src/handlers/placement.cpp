// What cf org and cf space read about placement and networking that Cupola does not divide:
// every org and space uses the shared isolation segment (none assigned) and no security
// groups. Answered in Cloud Foundry's shapes so the commands show them.

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

const ListSpec kSegmentList{{"guids", "names", "organization_guids"}, {"created_at", "name"}, {}};
const ListSpec kGroupList{{"guids", "names"}, {"created_at", "name"}, {}};

// {"data": null, "links": {"self": ...}}: nothing assigned.
http::Response no_relationship(const std::string& self) {
  json::Writer w;
  w.start_object().key("data").value(nullptr);
  w.key("links").start_object().key("self").start_object().field("href", self);
  w.end_object().end_object().end_object();
  return respond(http::StatusCode::ok, w);
}

ListWriter nothing() {
  return [](Caller, ListQuery, json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
    w.key("resources").start_array().end_array();
    co_return 0;
  };
}

}  // namespace

void add_placement_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/isolation_segments", [&api](http::RequestContext& ctx) {
    return answer_list(api, ctx, kSegmentList, "/v3/isolation_segments", nothing());
  });
  r.get("/v3/security_groups", [&api](http::RequestContext& ctx) {
    return answer_list(api, ctx, kGroupList, "/v3/security_groups", nothing());
  });
  r.get("/v3/organizations/:guid/relationships/default_isolation_segment",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto org = co_await api.db.organization(std::get<Caller>(who).viewer(), guid);
          if (!org) co_return store_error(api, org.error());
          if (!*org) co_return error_response(not_found("Organization"));
          co_return no_relationship(api.urls.api + "/v3/organizations/" + guid +
                                    "/relationships/default_isolation_segment");
        });
  r.get("/v3/spaces/:guid/relationships/isolation_segment",
        [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
          auto who = co_await authenticate(api, ctx);
          if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
          std::string guid(ctx.params.get("guid"));
          auto space = co_await api.db.space(std::get<Caller>(who).viewer(), guid);
          if (!space) co_return store_error(api, space.error());
          if (!*space) co_return error_response(not_found("Space"));
          co_return no_relationship(api.urls.api + "/v3/spaces/" + guid +
                                    "/relationships/isolation_segment");
        });
  for (const char* kind : {"running_security_groups", "staging_security_groups"}) {
    std::string suffix = kind;
    r.get("/v3/spaces/:guid/" + suffix,
          [&api, suffix](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
            auto who = co_await authenticate(api, ctx);
            if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
            std::string guid(ctx.params.get("guid"));
            auto space = co_await api.db.space(std::get<Caller>(who).viewer(), guid);
            if (!space) co_return store_error(api, space.error());
            if (!*space) co_return error_response(not_found("Space"));
            std::string path = "/v3/spaces/" + guid + "/" + suffix;
            co_return co_await answer_list(api, ctx, kGroupList, std::move(path), nothing());
          });
  }
}

}  // namespace cupola::cc
