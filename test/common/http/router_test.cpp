#include "common/http/router.h"

#include <catch2/catch.hpp>

using namespace cupola::http;
namespace asio = boost::asio;

namespace {
Handler named(std::string name) {
  return [name](RequestContext&) -> asio::awaitable<Response> {
    co_return make_response(StatusCode::ok, name);
  };
}
}  // namespace

TEST_CASE("Router matches method and path templates") {
  Router r;
  r.get("/v3/apps", named("list"));
  r.get("/v3/apps/:guid", named("get"));
  r.get("/v3/apps/mine", named("mine"));
  r.post("/v3/apps", named("create"));
  r.get("/v3/apps/:guid/processes/:type", named("process"));
  r.get("/static/*rest", named("static"));

  SECTION("literal paths") {
    auto l = r.find(Verb::get, "/v3/apps");
    REQUIRE(l.kind == Router::Lookup::Kind::Found);
    CHECK(l.route->pattern == "/v3/apps");
    CHECK(r.find(Verb::post, "/v3/apps").route->pattern == "/v3/apps");
  }
  SECTION("parameters are captured and decoded") {
    auto l = r.find(Verb::get, "/v3/apps/abc%2Fdef/processes/web");
    REQUIRE(l.kind == Router::Lookup::Kind::Found);
    CHECK(l.params.get("guid") == "abc/def");
    CHECK(l.params.get("type") == "web");
    CHECK(l.params.get("absent").empty());
  }
  SECTION("the most literal template wins") {
    CHECK(r.find(Verb::get, "/v3/apps/mine").route->pattern == "/v3/apps/mine");
    CHECK(r.find(Verb::get, "/v3/apps/other").route->pattern == "/v3/apps/:guid");
  }
  SECTION("wildcards take the rest of the path") {
    auto l = r.find(Verb::get, "/static/css/site.css");
    REQUIRE(l.kind == Router::Lookup::Kind::Found);
    CHECK(l.params.get("rest") == "css/site.css");
    CHECK(r.find(Verb::get, "/static").params.get("rest").empty());
  }
  SECTION("unknown paths and methods") {
    CHECK(r.find(Verb::get, "/v3/spaces").kind == Router::Lookup::Kind::NotFound);
    CHECK(r.find(Verb::get, "/v3/apps/a/b").kind == Router::Lookup::Kind::NotFound);
    CHECK(r.find(Verb::get, "/v3/apps//processes/web").kind == Router::Lookup::Kind::NotFound);
    auto l = r.find(Verb::delete_, "/v3/apps");
    CHECK(l.kind == Router::Lookup::Kind::MethodNotAllowed);
    CHECK(l.allow == "GET, POST");
  }
  SECTION("HEAD falls back to GET") {
    CHECK(r.find(Verb::head, "/v3/apps/x").route->pattern == "/v3/apps/:guid");
  }
}

TEST_CASE("query strings") {
  CHECK(target_path("/v3/apps?names=a,b") == "/v3/apps");
  CHECK(target_query("/v3/apps?names=a,b") == "names=a,b");
  CHECK(query_param("a=1&names=x%20y&b", "names") == "x y");
  CHECK(query_param("q=a+b", "q") == "a b");
  CHECK(query_param("a=1&b", "b") == "");
  CHECK_FALSE(query_param("a=1", "c").has_value());
  CHECK_FALSE(query_param("a=%zz", "a").has_value());
}
