// The v3 tenancy API on a real Postgres: organizations, spaces, roles, users and jobs, with
// Cloud Foundry's answers and who may do what.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

std::string create_org(CcFixture& cc, const std::string& name) {
  auto res = cc.post("/v3/organizations", "admin", R"({"name": ")" + name + R"("})");
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res)["guid"].GetString();
}

std::string create_space(CcFixture& cc, const std::string& org, const std::string& name,
                         const std::string& who = "admin") {
  auto res =
      cc.post("/v3/spaces", who,
              R"({"name": ")" + name +
                  R"(", "relationships": {"organization": {"data": {"guid": ")" + org + R"("}}}})");
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res)["guid"].GetString();
}

http::Response give_role(CcFixture& cc, const std::string& who, const std::string& type,
                         const std::string& target_kind, const std::string& target,
                         const std::string& username) {
  return cc.post("/v3/roles", who,
                 R"({"type": ")" + type + R"(", "relationships": {")" + target_kind +
                     R"(": {"data": {"guid": ")" + target +
                     R"("}}, "user": {"data": {"username": ")" + username + R"("}}}})");
}

}  // namespace

TEST_CASE("the root and /v3 name every link the cf CLI looks up; no token needed") {
  CcFixture cc;
  auto root = body_of(cc.get("/", ""));
  CHECK(std::string(root["links"]["cloud_controller_v3"]["href"].GetString()) ==
        "https://api.test/v3");
  CHECK(std::string(root["links"]["cloud_controller_v3"]["meta"]["version"].GetString()) ==
        "3.107.0");
  CHECK(std::string(root["links"]["login"]["href"].GetString()) == "https://login.test");
  CHECK(std::string(root["links"]["log_cache"]["href"].GetString()) == "https://log-cache.test");
  auto v3 = body_of(cc.get("/v3", ""));
  for (const char* key : {"apps", "organizations", "spaces", "roles", "users", "processes",
                          "service_instances", "space_quotas", "stacks", "tasks"}) {
    INFO(key);
    CHECK(v3["links"].HasMember(key));
  }
  auto v2 = body_of(cc.get("/v2/info", ""));
  CHECK(std::string(v2["api_version"].GetString()) == "2.172.0");
  CHECK(std::string(v2["authorization_endpoint"].GetString()) == "https://login.test");
}

TEST_CASE("tokens: none is CF-NotAuthenticated, a bad one CF-InvalidAuthToken") {
  CcFixture cc;
  auto none = cc.get("/v3/organizations", "");
  CHECK(none.result() == StatusCode::unauthorized);
  CHECK(std::string(body_of(none)["errors"][0]["title"].GetString()) == "CF-NotAuthenticated");
  auto bad = cc.get("/v3/organizations", "nobody");
  CHECK(bad.result() == StatusCode::unauthorized);
  auto err = body_of(bad)["errors"][0].GetObject();
  CHECK(std::string(err["title"].GetString()) == "CF-InvalidAuthToken");
  CHECK(err["code"].GetInt() == 1000);
}

TEST_CASE("organizations: admins create and delete; others see only their own") {
  CcFixture cc;
  cc.tokens.person("alice");
  std::string org = create_org(cc, "acme");
  create_org(cc, "globex");

  // Names are unique without regard to case, with the wording the CLI matches.
  auto again = cc.post("/v3/organizations", "admin", R"({"name": "ACME"})");
  CHECK(again.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(again) == "Organization 'ACME' already exists.");
  CHECK(cc.post("/v3/organizations", "admin", R"({"name": ""})").result() ==
        StatusCode::unprocessable_entity);
  CHECK(detail_of(cc.post("/v3/organizations", "admin", R"({"name": 7})")) ==
        "Name must be a string");
  auto parse = cc.post("/v3/organizations", "admin", "{not json");
  CHECK(parse.result() == StatusCode::bad_request);
  CHECK(std::string(body_of(parse)["errors"][0]["title"].GetString()) == "CF-MessageParseError");

  // A user without roles sees none, may create none, and a guid they may not see is a 404.
  CHECK(names_in(cc.get("/v3/organizations", "alice")).empty());
  CHECK(cc.post("/v3/organizations", "alice", R"({"name": "mine"})").result() ==
        StatusCode::forbidden);
  auto hidden = cc.get("/v3/organizations/" + org, "alice");
  CHECK(hidden.result() == StatusCode::not_found);
  CHECK(detail_of(hidden) == "Organization not found");

  // Filters and order, as the CLI sends them.
  CHECK(names_in(cc.get("/v3/organizations?order_by=name", "admin")) ==
        std::vector<std::string>{"acme", "globex"});
  CHECK(names_in(cc.get("/v3/organizations?order_by=-name", "admin")) ==
        std::vector<std::string>{"globex", "acme"});
  CHECK(names_in(cc.get("/v3/organizations?names=globex", "admin")) ==
        std::vector<std::string>{"globex"});
  auto unknown = cc.get("/v3/organizations?colour=blue", "admin");
  CHECK(unknown.result() == StatusCode::bad_request);
  CHECK(detail_of(unknown).starts_with("Unknown query parameter(s): 'colour'."));
  CHECK(detail_of(cc.get("/v3/organizations?per_page=9000", "admin")) ==
        "Per page must be between 1 and 5000");

  // Pages: next links follow the same query.
  auto first = body_of(cc.get("/v3/organizations?order_by=name&per_page=1", "admin"));
  CHECK(first["pagination"]["total_results"].GetInt() == 2);
  CHECK(first["pagination"]["total_pages"].GetInt() == 2);
  std::string next = first["pagination"]["next"]["href"].GetString();
  CHECK(next == "https://api.test/v3/organizations?page=2&per_page=1&order_by=name");
  auto second = cc.get(next.substr(std::string("https://api.test").size()), "admin");
  CHECK(names_in(second) == std::vector<std::string>{"globex"});
  CHECK(body_of(second)["pagination"]["next"].IsNull());

  // Deleting answers 202 with a job to poll, which is complete.
  CHECK(cc.del("/v3/organizations/" + org, "alice").result() == StatusCode::not_found);
  auto deleted = cc.del("/v3/organizations/" + org, "admin");
  REQUIRE(deleted.result() == StatusCode::accepted);
  std::string location(deleted[http::bhttp::field::location]);
  REQUIRE(location.starts_with("https://api.test/v3/jobs/"));
  auto job = body_of(cc.get(location.substr(16), "admin"));
  CHECK(std::string(job["state"].GetString()) == "COMPLETE");
  CHECK(cc.get("/v3/organizations/" + org, "admin").result() == StatusCode::not_found);
}

TEST_CASE("spaces and roles follow Cloud Foundry's rules") {
  CcFixture cc;
  cc.tokens.person("olivia");  // becomes org manager
  cc.tokens.person("dev");     // becomes space developer
  cc.tokens.person("outsider");
  std::string org = create_org(cc, "acme");
  std::string other_org = create_org(cc, "globex");
  std::string other_space = create_space(cc, other_org, "elsewhere");

  // The admin makes olivia a manager of acme.
  auto manager = give_role(cc, "admin", "organization_manager", "organization", org, "olivia");
  INFO(manager.body());
  REQUIRE(manager.result() == StatusCode::created);
  auto role = body_of(manager);
  CHECK(std::string(role["type"].GetString()) == "organization_manager");
  CHECK(std::string(role["relationships"]["user"]["data"]["guid"].GetString()) == "olivia-guid");
  CHECK(role["relationships"]["space"]["data"].IsNull());

  // She sees acme only, creates spaces in it, not in globex.
  CHECK(names_in(cc.get("/v3/organizations", "olivia")) == std::vector<std::string>{"acme"});
  std::string dev_space = create_space(cc, org, "development", "olivia");
  auto not_hers = cc.post("/v3/spaces", "olivia",
                          R"({"name": "x", "relationships": {"organization": {"data": {"guid": ")" +
                              other_org + R"("}}}})");
  CHECK(not_hers.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(not_hers) ==
        "Invalid organization. Ensure the organization exists and you have access to it.");
  auto twice =
      cc.post("/v3/spaces", "olivia",
              R"({"name": "Development", "relationships": {"organization": {"data": {"guid": ")" +
                  org + R"("}}}})");
  CHECK(detail_of(twice) == "Name must be unique per organization");

  // A space role needs an org role first, as the CLI knows.
  auto early = give_role(cc, "olivia", "space_developer", "space", dev_space, "dev");
  CHECK(early.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(early) ==
        "Users cannot be assigned roles in a space if they do not have a role in that space's "
        "organization.");
  REQUIRE(give_role(cc, "olivia", "organization_user", "organization", org, "dev").result() ==
          StatusCode::created);
  auto dup = give_role(cc, "olivia", "organization_user", "organization", org, "dev");
  CHECK(detail_of(dup) ==
        "User 'dev' already has 'organization_user' role in organization 'acme'.");
  REQUIRE(give_role(cc, "olivia", "space_developer", "space", dev_space, "dev").result() ==
          StatusCode::created);
  auto nobody = give_role(cc, "olivia", "organization_user", "organization", org, "ghost");
  CHECK(detail_of(nobody) == "No user exists with the username 'ghost' and origin 'uaa'.");

  // The developer sees their org and space, may not add spaces or roles.
  CHECK(names_in(cc.get("/v3/organizations", "dev")) == std::vector<std::string>{"acme"});
  CHECK(names_in(cc.get("/v3/spaces", "dev")) == std::vector<std::string>{"development"});
  CHECK(cc.get("/v3/spaces/" + other_space, "dev").result() == StatusCode::not_found);
  auto create =
      cc.post("/v3/spaces", "dev",
              R"({"name": "mine", "relationships": {"organization": {"data": {"guid": ")" + org +
                  R"("}}}})");
  CHECK(create.result() == StatusCode::forbidden);
  CHECK(give_role(cc, "dev", "space_manager", "space", dev_space, "dev").result() ==
        StatusCode::forbidden);
  CHECK(names_in(cc.get("/v3/spaces?names=development&organization_guids=" + org, "olivia")) ==
        std::vector<std::string>{"development"});

  // space-users: roles with the users included.
  auto listed = body_of(cc.get("/v3/roles?include=user&space_guids=" + dev_space, "olivia"));
  REQUIRE(listed["resources"].Size() == 1);
  CHECK(std::string(listed["included"]["users"][0]["username"].GetString()) == "dev");
  CHECK(std::string(listed["included"]["users"][0]["origin"].GetString()) == "uaa");
  CHECK(body_of(cc.get("/v3/roles", "outsider"))["resources"].Size() == 0);

  // The users a manager sees, by name as unset-*-role looks them up.
  auto users = body_of(cc.get("/v3/users?usernames=dev", "olivia"));
  REQUIRE(users["resources"].Size() == 1);
  CHECK(std::string(users["resources"][0]["guid"].GetString()) == "dev-guid");
  CHECK(body_of(cc.get("/v3/users?usernames=dev", "outsider"))["resources"].Size() == 0);

  // The last org role cannot go while space roles remain; the space role can.
  auto org_roles = body_of(cc.get(
      "/v3/roles?types=organization_user&user_guids=dev-guid&organization_guids=" + org, "olivia"));
  std::string org_user_role = org_roles["resources"][0]["guid"].GetString();
  auto blocked = cc.del("/v3/roles/" + org_user_role, "olivia");
  CHECK(blocked.result() == StatusCode::unprocessable_entity);
  auto space_roles = body_of(cc.get("/v3/roles?space_guids=" + dev_space, "olivia"));
  CHECK(
      cc.del("/v3/roles/" + std::string(space_roles["resources"][0]["guid"].GetString()), "olivia")
          .result() == StatusCode::accepted);
  CHECK(cc.del("/v3/roles/" + org_user_role, "olivia").result() == StatusCode::accepted);
  CHECK(names_in(cc.get("/v3/organizations", "dev")).empty());

  // The manager deletes the space; the outsider cannot even see it.
  CHECK(cc.del("/v3/spaces/" + dev_space, "outsider").result() == StatusCode::not_found);
  CHECK(cc.del("/v3/spaces/" + dev_space, "olivia").result() == StatusCode::accepted);
  CHECK(cc.get("/v3/spaces/" + dev_space, "admin").result() == StatusCode::not_found);
}

TEST_CASE("users: the admin registers a token-service user with the CC") {
  CcFixture cc;
  cc.tokens.person("bob");
  auto created = cc.post("/v3/users", "admin", R"({"guid": "bob-guid"})");
  REQUIRE(created.result() == StatusCode::created);
  CHECK(std::string(body_of(created)["username"].GetString()) == "bob");
  CHECK(cc.post("/v3/users", "bob", R"({"guid": "bob-guid"})").result() == StatusCode::forbidden);
  CHECK(body_of(cc.get("/v3/users?usernames=bob", "admin"))["resources"].Size() == 1);
  CHECK(cc.get("/v3/users/bob-guid", "bob").result() == StatusCode::ok);
  CHECK(cc.del("/v3/users/bob-guid", "admin").result() == StatusCode::accepted);
  CHECK(cc.get("/v3/users/bob-guid", "admin").result() == StatusCode::not_found);
}

TEST_CASE("cf org and cf space: no isolation segment and no security groups, to those who see") {
  CcFixture cc;
  cc.tokens.person("stranger");
  std::string org = create_org(cc, "acme");
  std::string space = create_space(cc, org, "dev");
  auto segment = body_of(
      cc.get("/v3/organizations/" + org + "/relationships/default_isolation_segment", "admin"));
  CHECK(segment["data"].IsNull());
  CHECK(body_of(cc.get("/v3/spaces/" + space + "/relationships/isolation_segment", "admin"))["data"]
            .IsNull());
  CHECK(body_of(cc.get("/v3/isolation_segments?organization_guids=" + org, "admin"))["resources"]
            .Size() == 0);
  for (const char* kind : {"running_security_groups", "staging_security_groups"}) {
    auto groups = body_of(cc.get("/v3/spaces/" + space + "/" + kind, "admin"));
    CHECK(groups["resources"].Size() == 0);
    CHECK(groups["pagination"]["total_results"].GetInt() == 0);
    CHECK(cc.get("/v3/spaces/" + space + "/" + kind, "stranger").result() ==
          http::StatusCode::not_found);
  }
  CHECK(cc.get("/v3/organizations/" + org + "/relationships/default_isolation_segment", "stranger")
            .result() == http::StatusCode::not_found);
}
