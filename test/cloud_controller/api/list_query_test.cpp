#include "cloud_controller/src/api/list_query.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::cc;

namespace {
const ListSpec kSpec{{"names", "paths"}, {"name", "created_at"}, {"user"}};
}

TEST_CASE("list queries parse as Cloud Foundry parses them") {
  SECTION("defaults") {
    auto q = parse_list_query("", kSpec);
    REQUIRE(q.ok());
    CHECK(q->page == 1);
    CHECK(q->per_page == 50);
    CHECK(q->order_by == "created_at");
    CHECK_FALSE(q->descending);
  }
  SECTION("a list filter splits on commas; an encoded comma stays inside a name") {
    // On the wire a comma inside a name is %252C: decoded once it is %2C, then a comma.
    auto q = parse_list_query("names=a%252Cb,c&paths=", kSpec);
    REQUIRE(q.ok());
    CHECK(*q->filter("names") == std::vector<std::string>{"a,b", "c"});
    CHECK(*q->filter("paths") == std::vector<std::string>{""});
  }
  SECTION("order, pages, includes") {
    auto q = parse_list_query("order_by=-name&page=3&per_page=10&include=user", kSpec);
    REQUIRE(q.ok());
    CHECK(q->order_by == "name");
    CHECK(q->descending);
    CHECK(q->offset() == 20);
    CHECK(q->includes.contains("user"));
  }
  SECTION("errors in Cloud Foundry's words") {
    CHECK(parse_list_query("per_page=0", kSpec).error().message ==
          "Per page must be a positive integer");
    CHECK(parse_list_query("per_page=5001", kSpec).error().message ==
          "Per page must be between 1 and 5000");
    CHECK(parse_list_query("page=x", kSpec).error().message == "Page must be a positive integer");
    CHECK(parse_list_query("order_by=colour", kSpec).error().message ==
          "Order by can only be: 'created_at', 'name'");
    CHECK(parse_list_query("include=space", kSpec).error().message ==
          "Invalid included resource: 'space'");
    CHECK(parse_list_query("a=1&b=2", kSpec).error().message ==
          "Unknown query parameter(s): 'a', 'b'. Valid parameters are: 'page', 'per_page', "
          "'order_by', 'include', 'names', 'paths'");
  }
}

TEST_CASE("pagination links repeat the query") {
  auto q = parse_list_query("names=a%252Cb&per_page=2&page=2&order_by=name", kSpec);
  REQUIRE(q.ok());
  json::Writer w;
  w.start_object();
  write_pagination(w, *q, 5, "https://api.test/v3/things");
  w.end_object();
  auto doc = json::parse(w.view());
  REQUIRE(doc.ok());
  const auto& p = (*doc)["pagination"];
  CHECK(p["total_pages"].GetInt() == 3);
  CHECK(std::string(p["next"]["href"].GetString()) ==
        "https://api.test/v3/things?page=3&per_page=2&order_by=name&names=a%252Cb");
  CHECK(std::string(p["previous"]["href"].GetString()) ==
        "https://api.test/v3/things?page=1&per_page=2&order_by=name&names=a%252Cb");
}
