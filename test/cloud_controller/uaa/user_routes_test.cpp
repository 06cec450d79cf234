// /Users: what cf create-user and cf delete-user call, and the refusals.

#include <catch2/catch.hpp>

#include "test/cloud_controller/uaa/harness.h"

using namespace cupola;
using namespace cupola::cc::uaa;
using namespace cupola::cc::uaa::test;

namespace {

// What `cf create-user carol pa55` sends: origin "" and the username as email and names.
constexpr const char* kCreateCarol =
    R"({"userName":"carol","password":"pa55","origin":"","name":{"familyName":"carol","givenName":"carol"},)"
    R"("emails":[{"value":"carol","primary":true}]})";

}  // namespace

TEST_CASE("An administrator creates users through /Users", "[users]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("root", "pw", true);
  auto root = h.login("root", "pw");

  auto res = h.call_as(root.access, http::Verb::post, "/Users", kCreateCarol);
  REQUIRE(res.result_int() == 201);
  auto doc = body_json(res);
  std::string id = doc["id"].GetString();
  CHECK(std::string(doc["userName"].GetString()) == "carol");
  CHECK(std::string(doc["origin"].GetString()) == "uaa");
  CHECK(std::string(doc["zoneId"].GetString()) == "uaa");
  CHECK(std::string(doc["emails"][0]["value"].GetString()) == "carol");
  CHECK(std::string(doc["name"]["givenName"].GetString()) == "carol");
  CHECK(doc["active"].GetBool());
  CHECK(doc["meta"]["version"].GetInt64() == 0);
  CHECK(std::string(doc["schemas"][0].GetString()) == "urn:scim:schemas:core:1.0");
  CHECK_FALSE(doc.HasMember("password"));
  CHECK(res.body().find("pa55") == std::string::npos);
  CHECK(res[http::bhttp::field::etag] == "\"0\"");

  SECTION("the new user can log in") {
    auto carol = h.login("carol", "pa55");
    CHECK(decode_claims(carol.access).user_id() == id);
  }
  SECTION("a taken username is a conflict, in any letter case") {
    for (const char* name : {"carol", "CAROL"}) {
      std::string body = kCreateCarol;
      body.replace(body.find("\"carol\""), 7, std::string("\"") + name + "\"");
      auto dup = h.call_as(root.access, http::Verb::post, "/Users", body);
      CHECK(dup.result_int() == 409);
      CHECK(
          dup.body() ==
          std::string(
              R"({"error":"scim_resource_already_exists","error_description":"Username already in use: )") +
              name + R"(","message":"Username already in use: )" + name + R"(","origin":"uaa"})");
    }
  }
  SECTION("lookups by username, as cf create-user and set-org-role make them") {
    for (const char* query :
         {"filter=userName+eq+%22carol%22",
          "filter=userName%20eq%20%22Carol%22%20and%20origin%20eq%20%22uaa%22"}) {
      INFO(query);
      auto found = h.call_as(root.access, http::Verb::get, std::string("/Users?") + query);
      REQUIRE(found.result_int() == 200);
      auto list = body_json(found);
      CHECK(list["totalResults"].GetInt64() == 1);
      REQUIRE(list["resources"].Size() == 1);
      CHECK(std::string(list["resources"][0]["id"].GetString()) == id);
      CHECK(std::string(list["resources"][0]["origin"].GetString()) == "uaa");
    }
    for (const char* query : {"filter=userName+eq+%22dave%22",
                              "filter=userName+eq+%22carol%22+and+origin+eq+%22ldap%22"}) {
      INFO(query);
      auto none = h.call_as(root.access, http::Verb::get, std::string("/Users?") + query);
      REQUIRE(none.result_int() == 200);
      auto list = body_json(none);
      CHECK(list["totalResults"].GetInt64() == 0);
      CHECK(list["resources"].Size() == 0);
    }
  }
  SECTION("without a filter, users are listed by name") {
    auto all = h.call_as(root.access, http::Verb::get, "/Users?count=1&startIndex=2");
    REQUIRE(all.result_int() == 200);
    auto list = body_json(all);
    CHECK(list["totalResults"].GetInt64() == 2);
    CHECK(list["startIndex"].GetInt64() == 2);
    REQUIRE(list["resources"].Size() == 1);
    CHECK(std::string(list["resources"][0]["userName"].GetString()) == "root");
  }
  SECTION("a filter this server does not understand") {
    auto bad = h.call_as(root.access, http::Verb::get, "/Users?filter=emails.value+co+%22x%22");
    CHECK(bad.result_int() == 400);
    CHECK(std::string(body_json(bad)["error"].GetString()) == "scim");
  }
  SECTION("cf delete-user removes the user") {
    auto del = h.call_as(root.access, http::Verb::delete_, "/Users/" + id);
    REQUIRE(del.result_int() == 200);
    CHECK(std::string(body_json(del)["id"].GetString()) == id);
    auto again = h.call_as(root.access, http::Verb::delete_, "/Users/" + id);
    CHECK(again.result_int() == 404);
    CHECK(again.body() == R"({"error":"scim_resource_not_found","error_description":"User )" + id +
                              R"( does not exist","message":"User )" + id + R"( does not exist"})");
    CHECK(h.token("grant_type=password&username=carol&password=pa55").result_int() == 401);
  }
  SECTION("a user may read itself but not list others") {
    auto carol = h.login("carol", "pa55");
    CHECK(h.call_as(carol.access, http::Verb::get, "/Users/" + id).result_int() == 200);
    auto others = h.call_as(carol.access, http::Verb::get, "/Users");
    CHECK(others.result_int() == 403);
  }
}

TEST_CASE("/Users refuses callers without the scopes and bad bodies", "[users]") {
  Harness h(make_backend(GENERATE(from_range(backend_names()))));
  INFO("backend: " << h.backend->name());
  h.add_user("root", "pw", true);
  h.add_user("bob", "s3cret");
  auto root = h.login("root", "pw");
  auto bob = h.login("bob", "s3cret");

  SECTION("no token") {
    auto res = h.call(http::Verb::post, "/Users", kCreateCarol);
    CHECK(res.result_int() == 401);
    CHECK(
        res.body() ==
        R"({"error":"unauthorized","error_description":"Full authentication is required to access this resource"})");
  }
  SECTION("a bad token") {
    auto res = h.call_as("not.a.token", http::Verb::post, "/Users", kCreateCarol);
    CHECK(res.result_int() == 401);
    CHECK(std::string(body_json(res)["error"].GetString()) == "invalid_token");
  }
  SECTION("a user without scim.write") {
    auto res = h.call_as(bob.access, http::Verb::post, "/Users", kCreateCarol);
    CHECK(res.result_int() == 403);
    CHECK(
        res.body() ==
        R"({"error":"insufficient_scope","error_description":"Insufficient scope for this resource","scope":"scim.write scim.create uaa.admin"})");
    auto del = h.call_as(bob.access, http::Verb::delete_, "/Users/some-id");
    CHECK(del.result_int() == 403);
  }
  SECTION("bodies UAA refuses") {
    struct Case {
      const char* body;
      unsigned status;
      const char* error;
      const char* description;
    };
    const Case cases[] = {
        {R"({"userName":"dave","password":"x"})", 400, "invalid_scim_resource",
         "Exactly one email must be provided."},
        {R"({"userName":"dave","password":"x","emails":[{"value":""}]})", 400,
         "invalid_scim_resource", "An email must be provided."},
        {R"({"password":"x","emails":[{"value":"d"}]})", 400, "invalid_scim_resource",
         "A username must be provided."},
        {R"({"userName":"da ve","password":"x","emails":[{"value":"d"}]})", 400,
         "invalid_scim_resource", "Username must match pattern: [\\p{L}+0-9+\\-_.@'!]+"},
        {R"({"userName":"dave","password":"","emails":[{"value":"d"}]})", 400, "invalid_password",
         "Password must be at least 1 characters in length."},
        {R"({"userName":"dave","password":"x","origin":"ldap","emails":[{"value":"d"}]})", 400,
         "invalid_scim_resource",
         "Origin 'ldap' is unknown: users can only be created with origin 'uaa'."},
        {"{", 400, "invalid_scim_resource", nullptr},
    };
    for (const auto& c : cases) {
      INFO(c.body);
      auto res = h.call_as(root.access, http::Verb::post, "/Users", c.body);
      CHECK(res.result_int() == c.status);
      auto doc = body_json(res);
      CHECK(std::string(doc["error"].GetString()) == c.error);
      if (c.description) {
        CHECK(std::string(doc["error_description"].GetString()) == c.description);
        CHECK(std::string(doc["message"].GetString()) == c.description);
      }
    }
  }
}
