// Feature flags, environment variable groups and cf env on a real Postgres: Cloud Foundry's
// defaults, who may change them, the texts of its refusals, and what an app's environment
// shows to whom.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

http::Response patch(CcFixture& cc, const std::string& target, const std::string& who,
                     const std::string& body) {
  return cc.call(http::Verb::patch, target, who, body);
}

std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

const std::map<std::string, bool> kDefaults{
    {"user_org_creation", false},
    {"private_domain_creation", true},
    {"app_bits_upload", true},
    {"app_scaling", true},
    {"route_creation", true},
    {"service_instance_creation", true},
    {"diego_docker", false},
    {"set_roles_by_username", true},
    {"unset_roles_by_username", true},
    {"task_creation", true},
    {"env_var_visibility", true},
    {"space_scoped_private_broker_creation", true},
    {"space_developer_env_var_visibility", true},
    {"service_instance_sharing", false},
    {"hide_marketplace_from_unauthenticated_users", false},
    {"resource_matching", true},
};

// acme/s with an app "web" (its own variable OWN=mine) on web.apps.example.com: dev develops
// there, sup supports, aud audits; stranger belongs to another organization.
struct Place {
  std::string app;
};

Place place(CcFixture& cc) {
  for (const char* who : {"dev", "aud", "sup", "stranger"}) cc.tokens.person(who);
  auto org = [&](const char* name) {
    return text(body_of(cc.post("/v3/organizations", "admin",
                                std::string(R"({"name": ")") + name + R"("})"))["guid"]);
  };
  std::string acme = org("acme");
  std::string rival = org("rival");
  std::string space = text(
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "s", "relationships": {"organization": {"data": {"guid": ")" +
                          acme + R"("}}}})"))["guid"]);
  auto role = [&](const std::string& type, const char* kind, const std::string& guid,
                  const char* user) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  };
  for (const char* u : {"dev", "aud", "sup"}) role("organization_user", "organization", acme, u);
  role("organization_user", "organization", rival, "stranger");
  role("space_developer", "space", space, "dev");
  role("space_auditor", "space", space, "aud");
  role("space_supporter", "space", space, "sup");
  auto domain = cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})");
  REQUIRE(domain.result() == StatusCode::created);
  Place p;
  p.app = text(body_of(
      cc.post("/v3/apps", "dev",
              R"({"name": "web", "environment_variables": {"OWN": "mine"}, "relationships": )"
              R"({"space": {"data": {"guid": ")" +
                  space + R"("}}}})"))["guid"]);
  auto route = cc.post("/v3/routes", "dev",
                       R"({"host": "web", "relationships": {"space": {"data": {"guid": ")" + space +
                           R"("}}, "domain": {"data": {"guid": ")" + text(body_of(domain)["guid"]) +
                           R"("}}}})");
  REQUIRE(route.result() == StatusCode::created);
  REQUIRE(cc.post("/v3/routes/" + text(body_of(route)["guid"]) + "/destinations", "dev",
                  R"({"destinations": [{"app": {"guid": ")" + p.app + R"("}}]})")
              .result() == StatusCode::ok);
  return p;
}

}  // namespace

TEST_CASE("feature flags: everyone reads Cloud Foundry's defaults; admins change them",
          "[settings]") {
  CcFixture cc;
  cc.tokens.person("dev");

  SECTION("the list has every flag with its default, by name, unset") {
    auto res = cc.get("/v3/feature_flags?per_page=100", "dev");
    REQUIRE(res.result() == StatusCode::ok);
    auto doc = body_of(res);
    CHECK(doc["pagination"]["total_results"].GetInt() == 16);
    std::map<std::string, bool> seen;
    std::vector<std::string> order;
    for (const auto& f : doc["resources"].GetArray()) {
      seen[f["name"].GetString()] = f["enabled"].GetBool();
      order.emplace_back(f["name"].GetString());
      CHECK(f["updated_at"].IsNull());
      CHECK(f["custom_error_message"].IsNull());
      CHECK(text(f["links"]["self"]["href"]) ==
            "https://api.test/v3/feature_flags/" + order.back());
    }
    CHECK(seen == kDefaults);
    CHECK(std::is_sorted(order.begin(), order.end()));

    auto page = body_of(cc.get("/v3/feature_flags?per_page=2&page=2", "dev"));
    CHECK(page["pagination"]["total_pages"].GetInt() == 8);
    CHECK(text(page["resources"][0]["name"]) == "diego_docker");
    CHECK(names_in(cc.get("/v3/feature_flags?order_by=-name&per_page=1", "dev")) ==
          std::vector<std::string>{"user_org_creation"});
    CHECK(cc.get("/v3/feature_flags", "").result() == StatusCode::unauthorized);
  }

  SECTION("one flag by name; an unknown one is not found") {
    auto res = cc.get("/v3/feature_flags/diego_docker", "dev");
    REQUIRE(res.result() == StatusCode::ok);
    CHECK_FALSE(body_of(res)["enabled"].GetBool());
    auto missing = cc.get("/v3/feature_flags/warp_drive", "dev");
    CHECK(missing.result() == StatusCode::not_found);
    CHECK(detail_of(missing) == "Feature flag not found");
    CHECK(patch(cc, "/v3/feature_flags/warp_drive", "admin", R"({"enabled": true})").result() ==
          StatusCode::not_found);
  }

  SECTION("an admin sets a flag and its message; a developer may not") {
    auto refused = patch(cc, "/v3/feature_flags/diego_docker", "dev", R"({"enabled": true})");
    CHECK(refused.result() == StatusCode::forbidden);
    CHECK(text(body_of(refused)["errors"][0]["title"]) == "CF-NotAuthorized");

    auto set = patch(cc, "/v3/feature_flags/diego_docker", "admin",
                     R"({"enabled": true, "custom_error_message": "no docker here"})");
    INFO(set.body());
    REQUIRE(set.result() == StatusCode::ok);
    auto flag = body_of(cc.get("/v3/feature_flags/diego_docker", "dev"));
    CHECK(flag["enabled"].GetBool());
    CHECK(text(flag["custom_error_message"]) == "no docker here");
    CHECK(flag["updated_at"].IsString());

    auto cleared =
        patch(cc, "/v3/feature_flags/diego_docker", "admin", R"({"custom_error_message": null})");
    REQUIRE(cleared.result() == StatusCode::ok);
    CHECK(body_of(cleared)["enabled"].GetBool());
    CHECK(body_of(cleared)["custom_error_message"].IsNull());

    auto bad =
        patch(cc, "/v3/feature_flags/diego_docker", "admin", R"({"enabled": "yes", "colour": 1})");
    CHECK(bad.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(bad) == "Unknown field(s): 'colour', Enabled must be a boolean");
    CHECK(detail_of(patch(cc, "/v3/feature_flags/diego_docker", "admin",
                          R"({"custom_error_message": ""})")) ==
          "Custom error message is too short (minimum is 1 character)");
  }
}

TEST_CASE("environment variable groups: everyone reads them; admins merge into them",
          "[settings]") {
  CcFixture cc;
  cc.tokens.person("dev");
  const std::string running = "/v3/environment_variable_groups/running";

  auto empty = cc.get(running, "dev");
  REQUIRE(empty.result() == StatusCode::ok);
  auto group = body_of(empty);
  CHECK(text(group["name"]) == "running");
  CHECK(group["var"].ObjectEmpty());
  CHECK(group["updated_at"].IsString());
  CHECK(text(group["links"]["self"]["href"]) == "https://api.test" + running);
  auto missing = cc.get("/v3/environment_variable_groups/testing", "dev");
  CHECK(missing.result() == StatusCode::not_found);
  CHECK(detail_of(missing) == "Environment variable group not found");

  CHECK(patch(cc, running, "dev", R"({"var": {"A": "b"}})").result() == StatusCode::forbidden);
  auto set =
      patch(cc, running, "admin", R"({"var": {"HTTP_PROXY": "http://proxy", "DEBUG": "1"}})");
  INFO(set.body());
  REQUIRE(set.result() == StatusCode::ok);
  CHECK(body_of(set)["var"].MemberCount() == 2);

  auto merged = patch(cc, running, "admin", R"({"var": {"DEBUG": null, "LANG": "C"}})");
  REQUIRE(merged.result() == StatusCode::ok);
  auto after = body_of(cc.get(running, "dev"));
  const auto& vars = after["var"];
  CHECK(vars.MemberCount() == 2);
  CHECK(text(vars["HTTP_PROXY"]) == "http://proxy");
  CHECK(text(vars["LANG"]) == "C");
  CHECK_FALSE(vars.HasMember("DEBUG"));
  CHECK(body_of(cc.get("/v3/environment_variable_groups/staging", "dev"))["var"].ObjectEmpty());

  // Cloud Foundry's texts; the body is judged before the caller.
  auto refused = patch(cc, running, "admin", R"({"var": {"VCAP_X": "a", "port": "1", "N": 5}})");
  CHECK(refused.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(refused) ==
        "Var cannot start with VCAP_, Var cannot set PORT, Non-string value in environment "
        "variable for key 'N', value '5'");
  CHECK(detail_of(patch(cc, running, "admin", R"({"var": "x"})")) == "Var must be an object");
  CHECK(detail_of(patch(cc, running, "dev", R"({"var": {"vcap_y": "a"}})")) ==
        "Var cannot start with VCAP_");
  CHECK(patch(cc, "/v3/environment_variable_groups/testing", "admin", R"({"var": {}})").result() ==
        StatusCode::not_found);
  CHECK(body_of(cc.get(running, "dev"))["var"].MemberCount() == 2);
}

TEST_CASE("cf env: developers and supporters read an app's environment; flags can hide it",
          "[settings]") {
  CcFixture cc;
  Place p = place(cc);
  REQUIRE(patch(cc, "/v3/environment_variable_groups/running", "admin",
                R"({"var": {"HTTP_PROXY": "http://proxy"}})")
              .result() == StatusCode::ok);
  const std::string env = "/v3/apps/" + p.app + "/env";

  SECTION("a developer sees everything, VCAP_APPLICATION with the app's place and route") {
    auto res = cc.get(env, "dev");
    INFO(res.body());
    REQUIRE(res.result() == StatusCode::ok);
    auto doc = body_of(res);
    CHECK(text(doc["environment_variables"]["OWN"]) == "mine");
    CHECK(text(doc["running_env_json"]["HTTP_PROXY"]) == "http://proxy");
    CHECK(doc["staging_env_json"].ObjectEmpty());
    CHECK(doc["system_env_json"]["VCAP_SERVICES"].ObjectEmpty());
    const auto& vcap = doc["application_env_json"]["VCAP_APPLICATION"];
    CHECK(text(vcap["application_name"]) == "web");
    CHECK(text(vcap["space_name"]) == "s");
    CHECK(text(vcap["organization_name"]) == "acme");
    CHECK(text(vcap["application_id"]) == p.app);
    REQUIRE(vcap["uris"].Size() == 1);
    CHECK(text(vcap["uris"][0]) == "web.apps.example.com");
    CHECK(text(vcap["application_uris"][0]) == "web.apps.example.com");
  }

  SECTION("a supporter sees it without secrets; auditors and strangers do not see it") {
    auto sup = cc.get(env, "sup");
    REQUIRE(sup.result() == StatusCode::ok);
    CHECK(text(body_of(sup)["system_env_json"]["redacted_message"]) == "[PRIVATE DATA HIDDEN]");
    CHECK(cc.get(env, "admin").result() == StatusCode::ok);
    CHECK(cc.get(env, "aud").result() == StatusCode::forbidden);
    auto stranger = cc.get(env, "stranger");
    CHECK(stranger.result() == StatusCode::not_found);
    CHECK(detail_of(stranger) == "App not found");
    CHECK(cc.get(env, "").result() == StatusCode::unauthorized);
  }

  SECTION("space_developer_env_var_visibility off: developers are refused, admins are not") {
    REQUIRE(patch(cc, "/v3/feature_flags/space_developer_env_var_visibility", "admin",
                  R"({"enabled": false})")
                .result() == StatusCode::ok);
    auto refused = cc.get(env, "dev");
    CHECK(refused.result() == StatusCode::forbidden);
    auto body = body_of(refused);
    const auto& error = body["errors"][0];
    CHECK(error["code"].GetInt() == 330002);
    CHECK(text(error["title"]) == "CF-FeatureDisabled");
    CHECK(text(error["detail"]) == "Feature Disabled: space_developer_env_var_visibility");
    CHECK(cc.get(env, "admin").result() == StatusCode::ok);
    CHECK(cc.get(env, "aud").result() == StatusCode::forbidden);
  }

  SECTION("env_var_visibility off: everyone is refused, with the custom message") {
    REQUIRE(patch(cc, "/v3/feature_flags/env_var_visibility", "admin",
                  R"({"enabled": false, "custom_error_message": "ask the operator"})")
                .result() == StatusCode::ok);
    auto refused = cc.get(env, "dev");
    CHECK(refused.result() == StatusCode::forbidden);
    CHECK(detail_of(refused) == "Feature Disabled: ask the operator");
    CHECK(cc.get(env, "admin").result() == StatusCode::forbidden);
  }
}

TEST_CASE("feature flags hold back what they govern for everyone but admins", "[settings]") {
  CcFixture cc;
  Place p = place(cc);
  auto set = [&](const char* name, bool on) {
    REQUIRE(patch(cc, std::string("/v3/feature_flags/") + name, "admin",
                  on ? R"({"enabled": true})" : R"({"enabled": false})")
                .result() == StatusCode::ok);
  };
  auto scale = [&](const std::string& who) {
    return cc.post("/v3/apps/" + p.app + "/processes/web/actions/scale", who,
                   R"({"instances": 2})");
  };

  // cf scale while app_scaling is off.
  set("app_scaling", false);
  auto refused = scale("dev");
  CHECK(refused.result() == StatusCode::forbidden);
  CHECK(text(body_of(refused)["errors"][0]["title"]) == "CF-FeatureDisabled");
  CHECK(detail_of(refused) == "Feature Disabled: app_scaling");
  CHECK(scale("admin").result() == StatusCode::accepted);
  set("app_scaling", true);
  CHECK(scale("dev").result() == StatusCode::accepted);

  // cf create-route while route_creation is off.
  set("route_creation", false);
  std::string space =
      text(body_of(cc.get("/v3/apps/" + p.app, "dev"))["relationships"]["space"]["data"]["guid"]);
  std::string domain = text(body_of(cc.get("/v3/domains", "dev"))["resources"][0]["guid"]);
  auto route = cc.post("/v3/routes", "dev",
                       R"({"host": "more", "relationships": {"space": {"data": {"guid": ")" +
                           space + R"("}}, "domain": {"data": {"guid": ")" + domain + R"("}}}})");
  CHECK(detail_of(route) == "Feature Disabled: route_creation");

  // cf create-org by a user: refused until user_org_creation is on; then they manage it.
  CHECK(cc.post("/v3/organizations", "dev", R"({"name": "mine"})").result() ==
        StatusCode::forbidden);
  set("user_org_creation", true);
  auto made = cc.post("/v3/organizations", "dev", R"({"name": "mine"})");
  REQUIRE(made.result() == StatusCode::created);
  std::string org = text(body_of(made)["guid"]);
  auto roles = body_of(cc.get("/v3/roles?organization_guids=" + org, "dev"));
  std::set<std::string> types;
  for (const auto& r : roles["resources"].GetArray()) types.insert(text(r["type"]));
  CHECK(types == std::set<std::string>{"organization_manager", "organization_user"});
}
