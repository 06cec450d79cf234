// The v2 API for the cf CLI's other service commands, walked request by request as the CLI
// sends them: delete-service, create-user-provided-service, update-user-provided-service,
// rename-service and the service key commands; the roles' 404s and 403s; paging and filters.
#include "test/cloud_controller/api/v2_support.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;
using Mode = OsbTestBroker::Mode;

TEST_CASE("v2 delete-service: the legacy lookups and deletes that refuse nothing", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");
  REQUIRE(cc.post("/v2/service_bindings?accepts_incomplete=true", "dev", bind_body(db, w.app))
              .result() == StatusCode::created);

  // The lookup inlines bindings, keys and the plan, whose service the CLI then reads.
  auto found = body_of(cc.get(by_name(w, "db", true), "dev"));
  REQUIRE(found["resources"].Size() == 1);
  const auto& entity = found["resources"][0]["entity"];
  REQUIRE(entity["service_bindings"].Size() == 1);
  CHECK(text(entity["service_bindings"][0]["entity"]["app_guid"]) == w.app);
  CHECK(entity["service_keys"].Size() == 0);
  CHECK(text(entity["service_plan"]["metadata"]["guid"]) == w.small);
  std::string service = text(entity["service_plan"]["entity"]["service_guid"]);
  CHECK(text(body_of(cc.get("/v2/services/" + service, "dev"))["entity"]["label"]) == "postgresql");
  CHECK(body_of(cc.get(by_name(w, "nothing", true), "dev"))["resources"].Size() == 0);

  // The delete: 202 with the instance (no job URL), then gone; its binding went first.
  auto res = cc.del("/v2/service_instances/" + db + "?accepts_incomplete=true&async=true", "dev");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  auto deleting = body_of(res);
  CHECK(text(deleting["metadata"]["url"]).find("/jobs/") == std::string::npos);
  CHECK(text(deleting["entity"]["last_operation"]["type"]) == "delete");
  CHECK(text(deleting["entity"]["last_operation"]["state"]) == "in progress");
  polled(cc, by_name(w, "db", true),
         [](const json::Document& d) { return d["resources"].Size() == 0; });
  CHECK(broker.calls("DELETE", "/v2/service_instances/" + db + "/service_bindings/").size() == 1);
  CHECK_FALSE(broker.has_instance(db));
  CHECK(cc.get("/v2/service_instances/" + db, "dev").result() == StatusCode::not_found);

  // Without async the answer waits for a broker that deletes at once: 204.
  std::string other = created(cc, w, "other");
  CHECK(cc.del("/v2/service_instances/" + other + "?accepts_incomplete=true", "dev").result() ==
        StatusCode::no_content);
  CHECK(cc.get("/v3/service_instances/" + other, "dev").result() == StatusCode::not_found);

  // A user-provided instance goes at once, through the same path.
  auto ups = cc.post("/v2/user_provided_service_instances", "dev",
                     R"({"name": "ups", "credentials": null, "space_guid": ")" + w.space + "\"}");
  REQUIRE(ups.result() == StatusCode::created);
  std::string ups_guid = text(body_of(ups)["metadata"]["guid"]);
  CHECK(cc.del("/v2/service_instances/" + ups_guid + "?accepts_incomplete=true&async=true", "dev")
            .result() == StatusCode::no_content);
  CHECK(body_of(cc.get(by_name(w, "ups"), "dev"))["resources"].Size() == 0);
}

TEST_CASE("v2 user-provided services: create and update and rename", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);

  // cf cups ups -p '{"uri": "x"}' (the CLI sends "" for the URLs it was not given).
  auto res = cc.post("/v2/user_provided_service_instances?async=true", "dev",
                     R"({"name": "ups", "credentials": {"uri": "x"}, "space_guid": ")" + w.space +
                         R"(", "syslog_drain_url": "", "route_service_url": "", "tags": ["a"]})");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto made = body_of(res);
  std::string guid = text(made["metadata"]["guid"]);
  CHECK(text(made["metadata"]["url"]) == "/v2/user_provided_service_instances/" + guid);
  CHECK(text(made["entity"]["type"]) == "user_provided_service_instance");
  CHECK(text(made["entity"]["credentials"]["uri"]) == "x");
  CHECK(made["entity"]["syslog_drain_url"].IsNull());
  CHECK(made["entity"]["route_service_url"].IsNull());
  auto again = cc.post("/v2/user_provided_service_instances", "dev",
                       R"({"name": "ups", "space_guid": ")" + w.space + "\"}");
  CHECK(error_code(again) == "CF-ServiceInstanceNameTaken");
  auto insecure = cc.post(
      "/v2/user_provided_service_instances", "dev",
      R"({"name": "rs", "route_service_url": "http://x", "space_guid": ")" + w.space + "\"}");
  CHECK(insecure.result() == StatusCode::bad_request);
  CHECK(code_of(insecure) == 60019);

  // cf uups ups -p '{"uri": "y"}' -l syslog://logs: only what is given changes.
  auto updated = cc.call(http::Verb::put, "/v2/user_provided_service_instances/" + guid, "dev",
                         R"({"credentials": {"uri": "y"}, "syslog_drain_url": "syslog://logs"})");
  INFO(updated.body());
  REQUIRE(updated.result() == StatusCode::created);
  auto changed = body_of(updated);
  const auto& entity = changed["entity"];
  CHECK(text(entity["credentials"]["uri"]) == "y");
  CHECK(text(entity["syslog_drain_url"]) == "syslog://logs");
  CHECK(text(entity["tags"][0]) == "a");
  CHECK(text(body_of(cc.get("/v3/service_instances/" + guid + "/credentials", "dev"))["uri"]) ==
        "y");
  CHECK(text(body_of(cc.get("/v2/user_provided_service_instances/" + guid,
                            "aud"))["entity"]["credentials"]["redacted_message"]) ==
        "[PRIVATE DATA HIDDEN]");

  // cf rename-service, of both kinds; a taken name is refused with the code the CLI matches.
  REQUIRE(cc.call(http::Verb::put, "/v2/user_provided_service_instances/" + guid + "?async=true",
                  "dev", R"({"name": "ups2"})")
              .result() == StatusCode::created);
  std::string db = created(cc, w, "db");
  auto taken = cc.call(http::Verb::put, "/v2/service_instances/" + db + "?accepts_incomplete=true",
                       "dev", R"({"name": "ups2"})");
  CHECK(taken.result() == StatusCode::bad_request);
  CHECK(code_of(taken) == 60002);
  auto renamed =
      cc.call(http::Verb::put, "/v2/service_instances/" + db + "?accepts_incomplete=true", "dev",
              R"({"name": "db2"})");
  INFO(renamed.body());
  REQUIRE(renamed.result() == StatusCode::created);
  CHECK(text(body_of(renamed)["entity"]["name"]) == "db2");
  CHECK(broker.calls("PATCH", "/v2/service_instances/").empty());
  auto names = names_in(cc.get("/v3/service_instances?space_guids=" + w.space, "dev"));
  CHECK_THAT(names, Catch::Matchers::UnorderedEquals(std::vector<std::string>{"ups2", "db2"}));
}

TEST_CASE("v2 service keys: create and list and read and delete", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");

  // cf create-service-key db k1: made at once, with the broker's credentials.
  auto res = cc.post("/v2/service_keys", "dev",
                     R"({"service_instance_guid": ")" + db + R"(", "name": "k1"})");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  auto key = body_of(res);
  std::string key_guid = text(key["metadata"]["guid"]);
  CHECK(text(key["entity"]["name"]) == "k1");
  CHECK(text(key["entity"]["credentials"]["password"]) == "s3cret");
  auto again = cc.post("/v2/service_keys", "dev",
                       R"({"service_instance_guid": ")" + db + R"(", "name": "k1"})");
  CHECK(again.result() == StatusCode::bad_request);
  CHECK(error_code(again) == "CF-ServiceKeyNameTaken");
  CHECK(code_of(again) == 360001);

  // cf service-keys db, cf service-key db k1.
  auto keys = body_of(cc.get("/v2/service_instances/" + db + "/service_keys", "dev"));
  REQUIRE(keys["resources"].Size() == 1);
  auto one = body_of(cc.get("/v2/service_instances/" + db + "/service_keys?q=name%3Ak1", "dev"));
  REQUIRE(one["resources"].Size() == 1);
  CHECK(text(one["resources"][0]["entity"]["credentials"]["uri"]) ==
        "postgres://u:s3cret@127.0.0.1:5432/db");
  CHECK(body_of(
            cc.get("/v2/service_instances/" + db + "/service_keys?q=name%3Ak2", "dev"))["resources"]
            .Size() == 0);
  auto seen = body_of(cc.get("/v2/service_keys?q=name%3Ak1", "aud"));
  REQUIRE(seen["resources"].Size() == 1);
  CHECK(text(seen["resources"][0]["entity"]["credentials"]["redacted_message"]) ==
        "[PRIVATE DATA HIDDEN]");
  // The same key through v3.
  CHECK(body_of(cc.get("/v3/service_credential_bindings?type=key&service_instance_guids=" + db,
                       "dev"))["resources"]
            .Size() == 1);
  // A user-provided instance has no keys.
  auto ups = cc.post("/v2/user_provided_service_instances", "dev",
                     R"({"name": "ups", "space_guid": ")" + w.space + "\"}");
  auto refused = cc.post("/v2/service_keys", "dev",
                         R"({"service_instance_guid": ")" + text(body_of(ups)["metadata"]["guid"]) +
                             R"(", "name": "k"})");
  CHECK(code_of(refused) == 360004);

  // cf delete-service-key db k1 -f.
  CHECK(cc.del("/v2/service_keys/" + key_guid + "?async=true", "dev").result() ==
        StatusCode::no_content);
  CHECK(
      body_of(cc.get("/v2/service_instances/" + db + "/service_keys", "dev"))["resources"].Size() ==
      0);
  CHECK(cc.get("/v2/service_keys/" + key_guid, "dev").result() == StatusCode::not_found);
}

TEST_CASE("v2 roles: strangers get 404s and auditors change nothing", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  std::string db = created(cc, w, "db");
  auto bound = cc.post("/v2/service_bindings", "dev", bind_body(db, w.app));
  REQUIRE(bound.result() == StatusCode::created);
  std::string binding = text(body_of(bound)["metadata"]["guid"]);

  // Someone with no role in the space sees none of it.
  for (const auto& [path, name] : std::vector<std::pair<std::string, std::string>>{
           {"/v2/service_instances/" + db, "CF-ServiceInstanceNotFound"},
           {"/v2/spaces/" + w.space + "/summary", "CF-SpaceNotFound"},
           {"/v2/spaces/" + w.space + "/services", "CF-SpaceNotFound"},
           {"/v2/spaces/" + w.space + "/service_instances", "CF-SpaceNotFound"},
           {"/v2/apps/" + w.app, "CF-AppNotFound"},
           {"/v2/service_bindings/" + binding, "CF-ServiceBindingNotFound"},
           {"/v2/service_instances/" + db + "/service_bindings", "CF-ServiceInstanceNotFound"}}) {
    INFO(path);
    auto res = cc.get(path, "stranger");
    CHECK(res.result() == StatusCode::not_found);
    CHECK(error_code(res) == name);
  }
  CHECK(body_of(cc.get("/v2/service_instances", "stranger"))["total_results"].GetInt() == 0);
  CHECK(body_of(cc.get("/v2/apps?q=name%3Aweb", "stranger"))["total_results"].GetInt() == 0);
  CHECK(cc.del("/v2/service_instances/" + db + "?async=true", "stranger").result() ==
        StatusCode::not_found);
  CHECK(cc.post("/v2/service_instances", "stranger", create_body(w, "x", w.small)).result() ==
        StatusCode::not_found);

  // An auditor sees the space and may change nothing in it.
  CHECK(cc.get("/v2/service_instances/" + db, "aud").result() == StatusCode::ok);
  CHECK(cc.get("/v2/spaces/" + w.space + "/summary", "aud").result() == StatusCode::ok);
  for (const auto& res :
       {cc.post("/v2/service_instances?accepts_incomplete=true", "aud",
                create_body(w, "x", w.small)),
        cc.post("/v2/user_provided_service_instances", "aud",
                R"({"name": "x", "space_guid": ")" + w.space + "\"}"),
        cc.call(http::Verb::put, "/v2/service_instances/" + db, "aud", R"({"name": "y"})"),
        cc.del("/v2/service_instances/" + db + "?async=true", "aud"),
        cc.post("/v2/service_bindings", "aud", bind_body(db, w.app)),
        cc.del("/v2/service_bindings/" + binding, "aud"),
        cc.post("/v2/service_keys", "aud",
                R"({"service_instance_guid": ")" + db + R"(", "name": "k"})")}) {
    INFO(res.body());
    CHECK(res.result() == StatusCode::forbidden);
    CHECK(error_code(res) == "CF-NotAuthorized");
    CHECK(code_of(res) == 10003);
  }
  CHECK(names_in(cc.get("/v3/service_instances", "dev")) == std::vector<std::string>{"db"});

  // A token the CLI must refresh is code 1000; a query it can't filter by is refused.
  auto stale = cc.get("/v2/service_instances", "nobody");
  CHECK(stale.result() == StatusCode::unauthorized);
  CHECK(code_of(stale) == 1000);
  CHECK(error_code(stale) == "CF-InvalidAuthToken");
  auto odd = cc.get("/v2/service_instances?q=colour%3Ablue", "dev");
  CHECK(odd.result() == StatusCode::bad_request);
  CHECK(error_code(odd) == "CF-BadQueryParameter");
}

TEST_CASE("v2 lists: pages by next_url and filters with IN", "[v2]") {
  CcFixture cc;
  OsbTestBroker broker;
  ServiceWorld w = service_world(cc, broker);
  for (const char* name : {"a", "b", "c"}) {
    REQUIRE(cc.post("/v2/user_provided_service_instances", "dev",
                    R"({"name": ")" + std::string(name) + R"(", "space_guid": ")" + w.space + "\"}")
                .result() == StatusCode::created);
  }
  auto first = body_of(cc.get("/v2/user_provided_service_instances?results-per-page=2", "dev"));
  CHECK(first["total_results"].GetInt() == 3);
  CHECK(first["total_pages"].GetInt() == 2);
  CHECK(first["prev_url"].IsNull());
  CHECK(first["resources"].Size() == 2);
  std::string next = text(first["next_url"]);
  CHECK(next == "/v2/user_provided_service_instances?page=2&results-per-page=2");
  auto second = body_of(cc.get(next, "dev"));
  CHECK(second["resources"].Size() == 1);
  CHECK(second["next_url"].IsNull());
  CHECK_FALSE(text(second["prev_url"]).empty());

  // Filters travel with the pages; IN matches any of its values; repeated q's narrow.
  auto in = body_of(
      cc.get("/v2/user_provided_service_instances?q=name+IN+a%2Cc&results-per-page=1", "dev"));
  CHECK(in["total_results"].GetInt() == 2);
  CHECK(text(in["next_url"]) ==
        "/v2/user_provided_service_instances?q=name+IN+a%2Cc&page=2&results-per-page=1");
  auto narrowed = body_of(cc.get(
      "/v2/user_provided_service_instances?q=name+IN+a%2Cc&q=name%3Ac&q=space_guid%3A" + w.space,
      "dev"));
  REQUIRE(narrowed["resources"].Size() == 1);
  CHECK(text(narrowed["resources"][0]["entity"]["name"]) == "c");
  CHECK(body_of(cc.get("/v2/service_instances", "dev"))["total_results"].GetInt() == 0);
}
