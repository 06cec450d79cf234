// Organization and space quotas on a real Postgres: who makes and applies them, and the
// limits they put on scaling, starting and routes.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

struct Org {
  std::string org, space, app, web;
};

// An org with a space, dev developing there and olivia managing the org; an app with a
// staged droplet, so it can start.
Org org_with_app(CcFixture& cc) {
  for (const char* who : {"dev", "olivia"}) cc.tokens.person(who);
  Org o;
  o.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  o.space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                          o.org + R"("}}}})"))["guid"]
          .GetString();
  for (const auto& [type, kind, guid, user] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"organization_user", "organization", o.org, "dev"},
           {"organization_manager", "organization", o.org, "olivia"},
           {"space_developer", "space", o.space, "dev"}}) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  }
  o.app = body_of(cc.post("/v3/apps", "dev",
                          R"({"name": "web", "relationships": {"space": {"data": {"guid": ")" +
                              o.space + R"("}}}})"))["guid"]
              .GetString();
  o.web = body_of(cc.get("/v3/apps/" + o.app + "/processes", "dev"))["resources"][0]["guid"]
              .GetString();
  return o;
}

}  // namespace

TEST_CASE("quotas: the default org quota, admins make org quotas, managers make space quotas") {
  CcFixture cc;
  Org o = org_with_app(cc);

  // Every org starts on the default quota.
  auto org = body_of(cc.get("/v3/organizations/" + o.org, "dev"));
  std::string default_guid = org["relationships"]["quota"]["data"]["guid"].GetString();
  auto def = body_of(cc.get("/v3/organization_quotas/" + default_guid, "dev"));
  CHECK(std::string(def["name"].GetString()) == "default");
  CHECK(def["apps"]["total_memory_in_mb"].GetInt() == 10240);
  CHECK(def["routes"]["total_routes"].GetInt() == 1000);
  CHECK(def["apps"]["per_process_memory_in_mb"].IsNull());

  // cf create-org-quota small -m 2G -i 512M -r 10
  CHECK(cc.post("/v3/organization_quotas", "olivia", R"({"name": "small"})").result() ==
        StatusCode::forbidden);
  auto small = cc.post("/v3/organization_quotas", "admin",
                       R"({"name": "small", "apps": {"total_memory_in_mb": 2048,
                           "per_process_memory_in_mb": 512}, "routes": {"total_routes": 10}})");
  INFO(small.body());
  REQUIRE(small.result() == StatusCode::created);
  std::string small_guid = body_of(small)["guid"].GetString();
  auto twice = cc.post("/v3/organization_quotas", "admin", R"({"name": "SMALL"})");
  CHECK(detail_of(twice) == "Organization Quota 'SMALL' already exists.");
  CHECK(detail_of(cc.post("/v3/organization_quotas", "admin",
                          R"({"name": "x", "apps": {"total_memory_in_mb": -1}})")) ==
        "Total memory in mb must be an integer greater than or equal to 0");

  // cf set-org-quota
  auto applied = cc.post("/v3/organization_quotas/" + small_guid + "/relationships/organizations",
                         "admin", R"({"data": [{"guid": ")" + o.org + R"("}]})");
  REQUIRE(applied.result() == StatusCode::ok);
  org = body_of(cc.get("/v3/organizations/" + o.org, "dev"));
  CHECK(std::string(org["relationships"]["quota"]["data"]["guid"].GetString()) == small_guid);
  CHECK(body_of(cc.get("/v3/organization_quotas/" + small_guid,
                       "admin"))["relationships"]["organizations"]["data"]
            .Size() == 1);
  CHECK(cc.call(http::Verb::delete_, "/v3/organization_quotas/" + default_guid, "admin").result() ==
        StatusCode::unprocessable_entity);

  // cf create-space-quota by the org manager, applied to the space.
  auto sq = cc.post("/v3/space_quotas", "olivia",
                    R"({"name": "tiny", "apps": {"total_instances": 2}, "relationships": )"
                    R"({"organization": {"data": {"guid": ")" +
                        o.org + R"("}}}})");
  INFO(sq.body());
  REQUIRE(sq.result() == StatusCode::created);
  std::string sq_guid = body_of(sq)["guid"].GetString();
  CHECK(cc.post("/v3/space_quotas", "dev",
                R"({"name": "mine", "relationships": {"organization": {"data": {"guid": ")" +
                    o.org + R"("}}}})")
            .result() == StatusCode::forbidden);
  REQUIRE(cc.post("/v3/space_quotas/" + sq_guid + "/relationships/spaces", "olivia",
                  R"({"data": [{"guid": ")" + o.space + R"("}]})")
              .result() == StatusCode::ok);
  auto space = body_of(cc.get("/v3/spaces/" + o.space, "dev"));
  CHECK(std::string(space["relationships"]["quota"]["data"]["guid"].GetString()) == sq_guid);
  CHECK(names_in(cc.get("/v3/space_quotas", "dev")) == std::vector<std::string>{"tiny"});
  CHECK(cc.call(http::Verb::delete_,
                "/v3/space_quotas/" + sq_guid + "/relationships/spaces/" + o.space, "olivia")
            .result() == StatusCode::no_content);
  space = body_of(cc.get("/v3/spaces/" + o.space, "dev"));
  CHECK(space["relationships"]["quota"]["data"].IsNull());
}

TEST_CASE("quotas hold scaling, starting and routes to their limits") {
  CcFixture cc;
  Org o = org_with_app(cc);
  stage_droplet(cc, o.app, "dev");
  std::string quota = body_of(cc.post("/v3/organization_quotas", "admin",
                                      R"({"name": "q", "apps": {"total_memory_in_mb": 1024,
                                          "per_process_memory_in_mb": 512, "total_instances": 4},
                                          "routes": {"total_routes": 1}})"))["guid"]
                          .GetString();
  REQUIRE(cc.post("/v3/organization_quotas/" + quota + "/relationships/organizations", "admin",
                  R"({"data": [{"guid": ")" + o.org + R"("}]})")
              .result() == StatusCode::ok);
  auto scale = [&](const std::string& body) {
    return cc.post("/v3/apps/" + o.app + "/processes/web/actions/scale", "dev", body);
  };
  // A new web process has 1 GB: starting it breaks the per-process limit.
  auto start = cc.post("/v3/apps/" + o.app + "/actions/start", "dev", "");
  CHECK(start.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(start) == "memory instance_memory_limit_exceeded");
  // Stopped apps may be sized freely; started ones are held to the totals.
  REQUIRE(scale(R"({"memory_in_mb": 256, "instances": 2})").result() == StatusCode::accepted);
  REQUIRE(cc.post("/v3/apps/" + o.app + "/actions/start", "dev", "").result() == StatusCode::ok);
  auto too_much = scale(R"({"instances": 5})");
  CHECK(detail_of(too_much) == "memory quota_exceeded");
  CHECK(detail_of(scale(R"({"memory_in_mb": 100, "instances": 5})")) ==
        "instances app_instance_limit_exceeded");
  CHECK(scale(R"({"instances": 4})").result() == StatusCode::accepted);

  // A space quota adds its own limits.
  std::string sq = body_of(cc.post("/v3/space_quotas", "olivia",
                                   R"({"name": "s", "apps": {"total_memory_in_mb": 512},
                                       "relationships": {"organization": {"data": {"guid": ")" +
                                       o.org + R"("}}}})"))["guid"]
                       .GetString();
  REQUIRE(cc.post("/v3/space_quotas/" + sq + "/relationships/spaces", "olivia",
                  R"({"data": [{"guid": ")" + o.space + R"("}]})")
              .result() == StatusCode::ok);
  CHECK(detail_of(scale(R"({"instances": 3})")) == "memory space_quota_exceeded");

  // Routes: one fits, the second does not.
  REQUIRE(cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})").result() ==
          StatusCode::created);
  std::string domain = body_of(cc.get("/v3/domains", "dev"))["resources"][0]["guid"].GetString();
  auto route = [&](const std::string& host) {
    return cc.post("/v3/routes", "dev",
                   R"({"host": ")" + host + R"(", "relationships": {"space": {"data": {"guid": ")" +
                       o.space + R"("}}, "domain": {"data": {"guid": ")" + domain + R"("}}}})");
  };
  CHECK(route("one").result() == StatusCode::created);
  auto second = route("two");
  CHECK(second.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(second) == "Routes quota exceeded for organization 'acme'.");
}

TEST_CASE("a log rate quota needs every started process to have a log rate limit that fits") {
  CcFixture cc;
  Org o = org_with_app(cc);
  stage_droplet(cc, o.app, "dev");
  std::string quota = body_of(cc.post(
      "/v3/organization_quotas", "admin",
      R"({"name": "logs", "apps": {"log_rate_limit_in_bytes_per_second": 4096}})"))["guid"]
                          .GetString();
  REQUIRE(cc.post("/v3/organization_quotas/" + quota + "/relationships/organizations", "admin",
                  R"({"data": [{"guid": ")" + o.org + R"("}]})")
              .result() == StatusCode::ok);
  auto scale = [&](const std::string& body) {
    return cc.post("/v3/apps/" + o.app + "/processes/web/actions/scale", "dev", body);
  };
  // A new process logs without a limit: it cannot start here.
  auto start = cc.post("/v3/apps/" + o.app + "/actions/start", "dev", "");
  CHECK(detail_of(start) == "log_rate_limit cannot be unlimited in organization 'acme'.");
  auto scaled = scale(R"({"log_rate_limit_in_bytes_per_second": 1024, "memory_in_mb": 64})");
  REQUIRE(scaled.result() == StatusCode::accepted);
  CHECK(body_of(scaled)["log_rate_limit_in_bytes_per_second"].GetInt() == 1024);
  REQUIRE(cc.post("/v3/apps/" + o.app + "/actions/start", "dev", "").result() == StatusCode::ok);
  CHECK(detail_of(scale(R"({"instances": 5})")) ==
        "log_rate_limit exceeds organization log rate quota");
  CHECK(scale(R"({"instances": 4})").result() == StatusCode::accepted);
  CHECK(detail_of(scale(R"({"log_rate_limit_in_bytes_per_second": -2})")) ==
        "Log rate limit in bytes per second must be greater than or equal to -1");
}
