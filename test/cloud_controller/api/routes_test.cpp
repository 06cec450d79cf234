// Domains, routes and destinations on a real Postgres: who may make and map them, the texts
// the cf CLI matches, and that a mapping reaches the app's instances.
#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;

namespace {

struct Place {
  std::string org, space, other_org, other_space, domain, app;
};

// Two orgs with a space each; dev develops in the first, aud audits it, sup supports it,
// olivia manages the first org, and stranger develops in the second.
Place place(CcFixture& cc) {
  for (const char* who : {"dev", "aud", "sup", "olivia", "stranger"}) cc.tokens.person(who);
  Place p;
  auto org = [&](const char* name) {
    return std::string(body_of(cc.post("/v3/organizations", "admin",
                                       std::string(R"({"name": ")") + name + R"("})"))["guid"]
                           .GetString());
  };
  auto space = [&](const std::string& o) {
    return std::string(
        body_of(cc.post("/v3/spaces", "admin",
                        R"({"name": "s", "relationships": {"organization": {"data": {"guid": ")" +
                            o + R"("}}}})"))["guid"]
            .GetString());
  };
  p.org = org("acme");
  p.other_org = org("rival");
  p.space = space(p.org);
  p.other_space = space(p.other_org);
  auto role = [&](const std::string& type, const char* kind, const std::string& guid,
                  const char* user) {
    REQUIRE(cc.post("/v3/roles", "admin",
                    R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                        R"(": {"data": {"guid": ")" + guid +
                        R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})")
                .result() == StatusCode::created);
  };
  for (const char* u : {"dev", "aud", "sup"}) role("organization_user", "organization", p.org, u);
  role("organization_manager", "organization", p.org, "olivia");
  role("organization_user", "organization", p.other_org, "stranger");
  role("space_developer", "space", p.space, "dev");
  role("space_auditor", "space", p.space, "aud");
  role("space_supporter", "space", p.space, "sup");
  role("space_developer", "space", p.other_space, "stranger");
  auto domain = cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})");
  REQUIRE(domain.result() == StatusCode::created);
  p.domain = body_of(domain)["guid"].GetString();
  p.app = body_of(cc.post("/v3/apps", "dev",
                          R"({"name": "web", "relationships": {"space": {"data": {"guid": ")" +
                              p.space + R"("}}}})"))["guid"]
              .GetString();
  return p;
}

std::string route_body(const std::string& host, const std::string& space, const std::string& domain,
                       const std::string& path = "") {
  return R"({"host": ")" + host + R"(", )" +
         (path.empty() ? "" : R"("path": ")" + path + R"(", )") +
         R"("relationships": {"space": {"data": {"guid": ")" + space +
         R"("}}, "domain": {"data": {"guid": ")" + domain + R"("}}}})";
}

}  // namespace

TEST_CASE("domains: admins make shared ones, org managers private ones; everyone lists them") {
  CcFixture cc;
  Place p = place(cc);

  CHECK(cc.post("/v3/domains", "dev", R"({"name": "mine.example.com"})").result() ==
        StatusCode::forbidden);
  auto bad = cc.post("/v3/domains", "admin", R"({"name": "no_dots"})");
  CHECK(bad.result() == StatusCode::unprocessable_entity);
  auto taken = cc.post("/v3/domains", "admin", R"({"name": "APPS.example.com"})");
  CHECK(taken.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(taken) == "The domain name \"apps.example.com\" is already in use");

  auto priv = cc.post("/v3/domains", "olivia",
                      R"({"name": "acme.example.com", "relationships": {"organization": )"
                      R"({"data": {"guid": ")" +
                          p.org + R"("}}}})");
  INFO(priv.body());
  REQUIRE(priv.result() == StatusCode::created);
  auto d = body_of(priv);
  CHECK(std::string(d["relationships"]["organization"]["data"]["guid"].GetString()) == p.org);
  CHECK(std::string(d["supported_protocols"][0].GetString()) == "http");
  CHECK(cc.post("/v3/domains", "olivia",
                R"({"name": "rival.example.com", "relationships": {"organization": )"
                R"({"data": {"guid": ")" +
                    p.other_org + R"("}}}})")
            .result() == StatusCode::unprocessable_entity);

  // cf domains: the org's view has the shared domain and its own; another org's member sees
  // only the shared one.
  CHECK(names_in(cc.get("/v3/organizations/" + p.org + "/domains?order_by=name", "dev")) ==
        std::vector<std::string>{"acme.example.com", "apps.example.com"});
  CHECK(names_in(cc.get("/v3/domains?order_by=name", "stranger")) ==
        std::vector<std::string>{"apps.example.com"});
  auto def = cc.get("/v3/organizations/" + p.org + "/domains/default", "dev");
  CHECK(std::string(body_of(def)["name"].GetString()) == "apps.example.com");
  CHECK(cc.get("/v3/organizations/" + p.org + "/domains", "stranger").result() ==
        StatusCode::not_found);
}

TEST_CASE("routes: developers make, map and unmap them; the app's instances follow") {
  CcFixture cc;
  Place p = place(cc);

  auto made = cc.post("/v3/routes", "dev", route_body("web", p.space, p.domain, "/api"));
  INFO(made.body());
  REQUIRE(made.result() == StatusCode::created);
  auto route = body_of(made);
  std::string guid = route["guid"].GetString();
  CHECK(std::string(route["url"].GetString()) == "web.apps.example.com/api");
  CHECK(route["destinations"].Size() == 0);
  CHECK(route["port"].IsNull());

  // The texts the CLI matches, and Cloud Foundry's validation.
  auto again = cc.post("/v3/routes", "dev", route_body("WEB", p.space, p.domain, "/api"));
  CHECK(again.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(again).find("Route already exists") != std::string::npos);
  CHECK(detail_of(cc.post("/v3/routes", "dev", route_body("", p.space, p.domain))) ==
        "Missing host. Routes in shared domains must have a host defined.");
  CHECK(detail_of(cc.post("/v3/routes", "dev", route_body("a.b", p.space, p.domain)))
            .find("Host must be either") == 0);
  CHECK(detail_of(cc.post("/v3/routes", "dev", route_body("x", p.space, p.domain, "api"))) ==
        "Path must begin with /");
  CHECK(cc.post("/v3/routes", "aud", route_body("x", p.space, p.domain)).result() ==
        StatusCode::forbidden);
  // Cloud Foundry finds the space, then refuses whoever may not route in it.
  CHECK(cc.post("/v3/routes", "stranger", route_body("x", p.space, p.domain)).result() ==
        StatusCode::forbidden);
  CHECK(detail_of(cc.post("/v3/routes", "dev", route_body("x", "no-such-space", p.domain))) ==
        "Invalid space. Ensure that the space exists and you have access to it.");

  // cf map-route: the route found by domain, host and an empty path.
  auto found = cc.get("/v3/routes?domain_guids=" + p.domain + "&hosts=web&paths=/api", "dev");
  CHECK(body_of(found)["resources"].Size() == 1);
  CHECK(body_of(
            cc.get("/v3/routes?domain_guids=" + p.domain + "&hosts=web&paths=", "dev"))["resources"]
            .Size() == 0);
  auto mapped = cc.post("/v3/routes/" + guid + "/destinations", "sup",
                        R"({"destinations": [{"app": {"guid": ")" + p.app + R"("}}]})");
  INFO(mapped.body());
  REQUIRE(mapped.result() == StatusCode::ok);
  auto dests = body_of(mapped);
  REQUIRE(dests["destinations"].Size() == 1);
  std::string dest = dests["destinations"][0]["guid"].GetString();
  CHECK(std::string(dests["destinations"][0]["app"]["process"]["type"].GetString()) == "web");
  CHECK(dests["destinations"][0]["port"].GetInt() == 8080);
  CHECK(std::find(cc.runtime.synced.begin(), cc.runtime.synced.end(), p.app) !=
        cc.runtime.synced.end());
  // Mapping the same app again keeps one destination.
  cc.post("/v3/routes/" + guid + "/destinations", "dev",
          R"({"destinations": [{"app": {"guid": ")" + p.app + R"("}}]})");
  CHECK(body_of(cc.get("/v3/routes/" + guid + "/destinations", "dev"))["destinations"].Size() == 1);
  CHECK(cc.post("/v3/routes/" + guid + "/destinations", "aud",
                R"({"destinations": [{"app": {"guid": ")" + p.app + R"("}}]})")
            .result() == StatusCode::forbidden);

  // cf apps / cf app: routes by app.
  auto by_app = body_of(cc.get("/v3/apps/" + p.app + "/routes", "aud"));
  REQUIRE(by_app["resources"].Size() == 1);
  CHECK(std::string(by_app["resources"][0]["url"].GetString()) == "web.apps.example.com/api");
  CHECK(body_of(cc.get("/v3/routes?app_guids=" + p.app, "dev"))["pagination"]["total_results"]
            .GetInt() == 1);
  // Another org's developer sees none of it.
  CHECK(cc.get("/v3/routes/" + guid, "stranger").result() == StatusCode::not_found);
  CHECK(body_of(cc.get("/v3/routes", "stranger"))["resources"].Size() == 0);

  // cf check-route
  auto reserved =
      cc.get("/v3/domains/" + p.domain + "/route_reservations?host=web&path=/api", "dev");
  CHECK(body_of(reserved)["matching_route"].GetBool());
  CHECK_FALSE(body_of(cc.get("/v3/domains/" + p.domain + "/route_reservations?host=web",
                             "dev"))["matching_route"]
                  .GetBool());

  // cf unmap-route, then cf delete-orphaned-routes removes it.
  cc.runtime.synced.clear();
  CHECK(cc.del("/v3/routes/" + guid + "/destinations/" + dest, "dev").result() ==
        StatusCode::no_content);
  CHECK(cc.runtime.synced == std::vector<std::string>{p.app});
  CHECK(cc.del("/v3/routes/" + guid + "/destinations/" + dest, "dev").result() ==
        StatusCode::not_found);
  auto orphans = cc.del("/v3/spaces/" + p.space + "/routes?unmapped=true", "dev");
  CHECK(orphans.result() == StatusCode::accepted);
  CHECK(orphans[http::bhttp::field::location].find("/v3/jobs/") != std::string::npos);
  CHECK(cc.get("/v3/routes/" + guid, "dev").result() == StatusCode::not_found);

  // Routes of a deleted domain are refused first.
  REQUIRE(cc.post("/v3/routes", "dev", route_body("keep", p.space, p.domain)).result() ==
          StatusCode::created);
  auto busy = cc.del("/v3/domains/" + p.domain, "admin");
  CHECK(busy.result() == StatusCode::unprocessable_entity);
}
