// User-provided service instances and app bindings on a real Postgres: cf cups, bind-service,
// what cf env shows, who reads credentials, and that credentials rest sealed in ccdb.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

struct Space {
  std::string org, space, app;
};

Space space_with_app(CcFixture& cc) {
  for (const char* who : {"dev", "aud", "stranger"}) cc.tokens.person(who);
  Space s;
  s.org = body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  s.space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "s", "relationships": {"organization": {"data": {"guid": ")" +
                          s.org + R"("}}}})"))["guid"]
          .GetString();
  for (const auto& [type, kind, guid, user] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"organization_user", "organization", s.org, "dev"},
           {"organization_user", "organization", s.org, "aud"},
           {"space_developer", "space", s.space, "dev"},
           {"space_auditor", "space", s.space, "aud"}}) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  }
  s.app = body_of(cc.post("/v3/apps", "dev",
                          R"({"name": "web", "relationships": {"space": {"data": {"guid": ")" +
                              s.space + R"("}}}})"))["guid"]
              .GetString();
  return s;
}

std::string cups(const std::string& space, const std::string& name, const std::string& extra) {
  return R"({"type": "user-provided", "name": ")" + name +
         R"(", "relationships": {"space": {"data": {"guid": ")" + space + R"("}}})" +
         (extra.empty() ? "" : ", " + extra) + "}";
}

}  // namespace

TEST_CASE("user-provided services: create, bind, read credentials, unbind, delete", "[services]") {
  CcFixture cc;
  Space s = space_with_app(cc);

  // cf cups db -p '{"uri": "postgres://u:p@h/d"}' -t "sql,db"
  auto made = cc.post("/v3/service_instances", "dev",
                      cups(s.space, "db",
                           R"("credentials": {"uri": "postgres://u:secret-pw@h/d", "port": 5432},
                              "tags": ["sql", "db"], "syslog_drain_url": "syslog://logs:514")"));
  INFO(made.body());
  REQUIRE(made.result() == StatusCode::created);
  auto instance = body_of(made);
  std::string guid = instance["guid"].GetString();
  CHECK(std::string(instance["type"].GetString()) == "user-provided");
  CHECK(std::string(instance["last_operation"]["state"].GetString()) == "succeeded");
  CHECK(instance["tags"].Size() == 2);
  CHECK(made.body().find("secret-pw") == std::string::npos);

  auto twice = cc.post("/v3/service_instances", "dev", cups(s.space, "db", ""));
  CHECK(detail_of(twice) == "The service instance name is taken: db.");
  CHECK(cc.post("/v3/service_instances", "aud", cups(s.space, "x", "")).result() ==
        StatusCode::forbidden);
  CHECK(detail_of(cc.post("/v3/service_instances", "dev",
                          cups(s.space, "x", R"("route_service_url": "http://plain")"))) ==
        "Route service url must use https");
  CHECK(detail_of(cc.post("/v3/service_instances", "dev",
                          cups(s.space, "x", R"("credentials": "not an object")"))) ==
        "Credentials must be an object");

  // Credentials: developers read them, auditors may not; strangers see nothing at all.
  auto creds = body_of(cc.get("/v3/service_instances/" + guid + "/credentials", "dev"));
  CHECK(std::string(creds["uri"].GetString()) == "postgres://u:secret-pw@h/d");
  CHECK(cc.get("/v3/service_instances/" + guid + "/credentials", "aud").result() ==
        StatusCode::forbidden);
  CHECK(cc.get("/v3/service_instances/" + guid, "aud").result() == StatusCode::ok);
  CHECK(cc.get("/v3/service_instances/" + guid, "stranger").result() == StatusCode::not_found);
  CHECK(names_in(cc.get("/v3/service_instances?space_guids=" + s.space, "aud")) ==
        std::vector<std::string>{"db"});

  // cf bind-service web db
  std::string bind_body = R"({"type": "app", "relationships": {"app": {"data": {"guid": ")" +
                          s.app + R"("}}, "service_instance": {"data": {"guid": ")" + guid +
                          R"("}}}})";
  CHECK(cc.post("/v3/service_credential_bindings", "aud", bind_body).result() ==
        StatusCode::forbidden);
  auto bound = cc.post("/v3/service_credential_bindings", "dev", bind_body);
  INFO(bound.body());
  REQUIRE(bound.result() == StatusCode::created);
  std::string binding = body_of(bound)["guid"].GetString();
  CHECK(detail_of(cc.post("/v3/service_credential_bindings", "dev", bind_body)) ==
        "The app is already bound to the service instance.");
  auto details = body_of(cc.get("/v3/service_credential_bindings/" + binding + "/details", "dev"));
  CHECK(details["credentials"]["port"].GetInt() == 5432);
  CHECK(std::string(details["syslog_drain_url"].GetString()) == "syslog://logs:514");
  CHECK(cc.get("/v3/service_credential_bindings/" + binding + "/details", "aud").result() ==
        StatusCode::not_found);
  CHECK(body_of(cc.get("/v3/service_credential_bindings?app_guids=" + s.app, "aud"))["resources"]
            .Size() == 1);

  // cf env web: VCAP_SERVICES in Cloud Foundry's layout.
  auto env = body_of(cc.get("/v3/apps/" + s.app + "/env", "dev"));
  const auto& ups = env["system_env_json"]["VCAP_SERVICES"]["user-provided"];
  REQUIRE(ups.Size() == 1);
  CHECK(std::string(ups[0]["label"].GetString()) == "user-provided");
  CHECK(std::string(ups[0]["name"].GetString()) == "db");
  CHECK(std::string(ups[0]["instance_name"].GetString()) == "db");
  CHECK(std::string(ups[0]["instance_guid"].GetString()) == guid);
  CHECK(std::string(ups[0]["binding_guid"].GetString()) == binding);
  CHECK(ups[0]["binding_name"].IsNull());
  CHECK(std::string(ups[0]["credentials"]["uri"].GetString()) == "postgres://u:secret-pw@h/d");
  CHECK(std::string(ups[0]["tags"][1].GetString()) == "db");
  CHECK(ups[0]["volume_mounts"].Size() == 0);

  // cf unbind-service, cf delete-service
  CHECK(cc.del("/v3/service_credential_bindings/" + binding, "dev").result() ==
        StatusCode::no_content);
  env = body_of(cc.get("/v3/apps/" + s.app + "/env", "dev"));
  CHECK(env["system_env_json"]["VCAP_SERVICES"].MemberCount() == 0);
  REQUIRE(cc.post("/v3/service_credential_bindings", "dev", bind_body).result() ==
          StatusCode::created);
  CHECK(cc.del("/v3/service_instances/" + guid, "dev").result() == StatusCode::no_content);
  CHECK(body_of(cc.get("/v3/service_credential_bindings?app_guids=" + s.app, "dev"))["resources"]
            .Size() == 0);

  // apply_manifest binds by name.
  REQUIRE(cc.post("/v3/service_instances", "dev", cups(s.space, "cache", "")).result() ==
          StatusCode::created);
  auto applied =
      cc.send(http::Verb::post, "/v3/spaces/" + s.space + "/actions/apply_manifest", "dev",
              "application/x-yaml", "applications:\n- name: web\n  services: [cache]\n");
  REQUIRE(applied.result() == StatusCode::accepted);
  CHECK(body_of(cc.get("/v3/service_credential_bindings?app_guids=" + s.app, "dev"))["resources"]
            .Size() == 1);
}

TEST_CASE("sealed credentials open only with their key and untouched", "[services]") {
  cc::SecretBox box("one secret");
  auto sealed = box.seal(R"({"password": "hunter2"})");
  REQUIRE(sealed.ok());
  CHECK(sealed->find("hunter2") == std::string::npos);
  CHECK(sealed->rfind("v1:", 0) == 0);
  CHECK(*box.open(*sealed) == R"({"password": "hunter2"})");
  CHECK(*box.seal("same") != *box.seal("same"));  // a fresh nonce each time
  CHECK_FALSE(cc::SecretBox("another secret").open(*sealed).ok());
  std::string changed = *sealed;
  changed[changed.size() - 3] = changed[changed.size() - 3] == 'A' ? 'B' : 'A';
  CHECK_FALSE(box.open(changed).ok());
  CHECK_FALSE(box.open("plain text").ok());
}
