// Who may do what, checked against Cloud Foundry's own answers: one organization with one
// space and one app (staged, routed, bound to a user-provided service instance), a person
// for each role, and a table of requests with the status Cloud Foundry gives each role.
// The truth is cloud_controller_ng's request specs (spec/request/*_spec.rb, the
// expected_codes_and_responses tables) and lib/cloud_controller/permissions.rb: 404 for what
// a role may not see, 403 for what it sees but may not do, 422 where the resource is named in
// the body rather than the path.
#include <algorithm>
#include <array>
#include <functional>

#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::StatusCode;
using http::Verb;

namespace {

// The columns of every row, in this order. "outsider" works in another organization.
// clang-format off
constexpr std::array<std::string_view, 12> kRoles{
    "admin", "admin_read_only", "global_auditor", "organization_manager", "organization_auditor",
    "organization_billing_manager", "organization_user", "space_manager", "space_developer",
    "space_auditor", "space_supporter", "outsider"};
// clang-format on

// Besides statuses: a list's 200 with something in it, or with nothing.
constexpr int kSome = 1200;
constexpr int kNone = 1000;

using Vars = std::map<std::string, std::string>;

std::string fill(std::string text, const Vars& vars) {
  for (const auto& [key, value] : vars) {
    std::string mark = "{" + key + "}";
    for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark, at)) {
      text.replace(at, mark.size(), value);
      at += value.size();
    }
  }
  return text;
}

std::string guid_of(const http::Response& res) {
  INFO(res.body());
  REQUIRE(res.result_int() >= 200);
  REQUIRE(res.result_int() < 300);
  return body_of(res)["guid"].GetString();
}

std::string in_space(const std::string& space) {
  return R"("relationships": {"space": {"data": {"guid": ")" + space + R"("}}})";
}

void grant(CcFixture& cc, const std::string& type, const std::string& kind,
           const std::string& where, const std::string& user) {
  auto res = cc.post("/v3/roles", "admin",
                     R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                         R"(": {"data": {"guid": ")" + where +
                         R"("}}, "user": {"data": {"guid": ")" + user + R"(-guid"}}}})");
  INFO(type << " for " << user << ": " << res.body());
  REQUIRE(res.result() == StatusCode::created);
}

// A space of the organization where each space-role person holds that role.
std::string space_with_roles(CcFixture& cc, const std::string& org, const std::string& name) {
  std::string space = guid_of(cc.post(
      "/v3/spaces", "admin",
      R"({"name": ")" + name + R"(", "relationships": {"organization": {"data": {"guid": ")" + org +
          R"("}}}})"));
  for (const char* role :
       {"space_manager", "space_developer", "space_auditor", "space_supporter"}) {
    grant(cc, role, "space", space, role);
  }
  return space;
}

std::string make_app(CcFixture& cc, const std::string& space, const std::string& name) {
  return guid_of(
      cc.post("/v3/apps", "admin", R"({"name": ")" + name + R"(", )" + in_space(space) + "}"));
}

// The world every row runs in; the names of its parts fill the rows' paths and bodies.
Vars world(CcFixture& cc) {
  for (auto role : kRoles) {
    if (role != "admin") cc.tokens.person(std::string(role));
  }
  cc.tokens.callers["admin_read_only"].admin_read_only = true;
  cc.tokens.callers["global_auditor"].global_auditor = true;
  Vars v;
  v["org"] = guid_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"));
  std::string rival = guid_of(cc.post("/v3/organizations", "admin", R"({"name": "rival"})"));
  for (const char* role : {"organization_manager", "organization_auditor",
                           "organization_billing_manager", "organization_user"}) {
    grant(cc, role, "organization", v["org"], role);
  }
  for (const char* role :
       {"space_manager", "space_developer", "space_auditor", "space_supporter"}) {
    grant(cc, "organization_user", "organization", v["org"], role);
  }
  v["space"] = space_with_roles(cc, v["org"], "main");
  grant(cc, "organization_user", "organization", rival, "outsider");
  std::string elsewhere = guid_of(
      cc.post("/v3/spaces", "admin",
              R"({"name": "elsewhere", "relationships": {"organization": {"data": {"guid": ")" +
                  rival + R"("}}}})"));
  grant(cc, "space_developer", "space", elsewhere, "outsider");

  v["domain"] = guid_of(cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})"));
  v["app"] = make_app(cc, v["space"], "web");
  v["droplet"] = stage_droplet(cc, v["app"], "admin");
  v["process"] =
      body_of(cc.get("/v3/apps/" + v["app"] + "/processes", "admin"))["resources"][0]["guid"]
          .GetString();
  v["route"] = guid_of(cc.post("/v3/routes", "admin",
                               fill(R"({"host": "web", "relationships": {"space": {"data": )"
                                    R"({"guid": "{space}"}}, "domain": {"data": {"guid": )"
                                    R"("{domain}"}}}})",
                                    v)));
  REQUIRE(cc.post("/v3/routes/" + v["route"] + "/destinations", "admin",
                  fill(R"({"destinations": [{"app": {"guid": "{app}"}}]})", v))
              .result() == StatusCode::ok);
  v["si"] = guid_of(cc.post("/v3/service_instances", "admin",
                            R"({"type": "user-provided", "name": "db", "credentials": )"
                            R"({"password": "pw"}, )" +
                                in_space(v["space"]) + "}"));
  v["binding"] = guid_of(cc.post(
      "/v3/service_credential_bindings", "admin",
      fill(R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": "{si}"}},)"
           R"( "app": {"data": {"guid": "{app}"}}}})",
           v)));
  return v;
}

// Resources made afresh for each role, named {fresh}, where a row changes or uses them up.
void fresh_app(CcFixture& cc, Vars& v) {
  v["fresh"] = make_app(cc, v["space"], "doomed-" + v["tag"]);
}

void fresh_package(CcFixture& cc, Vars& v) {
  std::string app = make_app(cc, v["space"], "built-" + v["tag"]);
  v["fresh"] = guid_of(cc.post(
      "/v3/packages", "admin",
      R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
  REQUIRE(
      cc.send(Verb::post, "/v3/packages/" + v["fresh"] + "/upload", "admin",
              "multipart/form-data; boundary=b",
              "--b\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n[]\r\n--b--\r\n")
          .result() == StatusCode::ok);
}

void fresh_route(CcFixture& cc, Vars& v) {
  v["fresh"] = guid_of(cc.post(
      "/v3/routes", "admin",
      fill(R"({"host": "gone-{tag}", "relationships": {"space": {"data": {"guid": "{space}"}},)"
           R"( "domain": {"data": {"guid": "{domain}"}}}})",
           v)));
}

void fresh_instance(CcFixture& cc, Vars& v) {
  v["fresh"] = guid_of(cc.post("/v3/service_instances", "admin",
                               R"({"type": "user-provided", "name": "si-)" + v["tag"] + R"(", )" +
                                   in_space(v["space"]) + "}"));
}

void fresh_space(CcFixture& cc, Vars& v) {
  v["fresh"] = space_with_roles(cc, v["org"], "doomed-" + v["tag"]);
}

// A person of the organization with no other role ({fresh} is their guid), or of none.
void fresh_member(CcFixture& cc, Vars& v) {
  cc.tokens.person("member-" + v["tag"]);
  grant(cc, "organization_user", "organization", v["org"], "member-" + v["tag"]);
  v["fresh"] = "member-" + v["tag"] + "-guid";
}
void fresh_person(CcFixture& cc, Vars& v) {
  cc.tokens.person("newbie-" + v["tag"]);
  v["fresh"] = "newbie-" + v["tag"] + "-guid";
}

struct Row {
  const char* what;
  Verb verb;
  const char* path;
  const char* body;
  std::array<int, 12> cf;  // Cloud Foundry's answer, per role in kRoles order
  std::function<void(CcFixture&, Vars&)> fresh = nullptr;
};

// The rows run in this order, each for every role in turn: later rows see what earlier
// ones did (the app is started before its stats are read, and stopped after).
std::vector<Row> table() {
  // clang-format off
  //                                 adm  aro  ga   o_mg o_au o_bm o_us s_mg s_dv s_au s_sp out
  return {
    {"GET app", Verb::get, "/v3/apps/{app}", "",
                                    {200, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404}},
    {"GET app env", Verb::get, "/v3/apps/{app}/env", "",
                                    {200, 200, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"GET app environment_variables", Verb::get, "/v3/apps/{app}/environment_variables", "",
                                    {200, 200, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"PATCH app environment_variables", Verb::patch, "/v3/apps/{app}/environment_variables",
     R"({"var": {"GREETING": "hi"}})",
                                    {200, 403, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"PATCH app", Verb::patch, "/v3/apps/{app}", R"({"name": "web"})",
                                    {200, 403, 403, 403, 404, 404, 404, 403, 200, 403, 403, 404}},
    {"POST app start", Verb::post, "/v3/apps/{app}/actions/start", "",
                                    {200, 403, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"POST process scale", Verb::post, "/v3/apps/{app}/processes/web/actions/scale",
     R"({"instances": 1})",
                                    {202, 403, 403, 403, 404, 404, 404, 403, 202, 403, 202, 404}},
    {"GET process stats", Verb::get, "/v3/processes/{process}/stats", "",
                                    {200, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404}},
    {"POST app stop", Verb::post, "/v3/apps/{app}/actions/stop", "",
                                    {200, 403, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"DELETE app", Verb::delete_, "/v3/apps/{fresh}", "",
                                    {202, 403, 403, 403, 404, 404, 404, 403, 202, 403, 403, 404},
     fresh_app},
    {"POST packages", Verb::post, "/v3/packages",
     R"({"type": "bits", "relationships": {"app": {"data": {"guid": "{app}"}}}})",
                                    {201, 403, 403, 403, 422, 422, 422, 403, 201, 403, 403, 422}},
    {"POST builds", Verb::post, "/v3/builds", R"({"package": {"guid": "{fresh}"}})",
                                    {201, 422, 422, 422, 422, 422, 422, 422, 201, 422, 201, 422},
     fresh_package},
    {"GET droplet", Verb::get, "/v3/droplets/{droplet}", "",
                                    {200, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404}},
    {"GET current droplet", Verb::get, "/v3/apps/{app}/droplets/current", "",
                                    {200, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404}},
    {"PATCH current droplet", Verb::patch, "/v3/apps/{app}/relationships/current_droplet",
     R"({"data": {"guid": "{droplet}"}})",
                                    {200, 403, 403, 403, 404, 404, 404, 403, 200, 403, 200, 404}},
    {"GET route", Verb::get, "/v3/routes/{route}", "",
                                    {200, 200, 200, 200, 200, 404, 404, 200, 200, 200, 200, 404}},
    {"POST routes", Verb::post, "/v3/routes",
     R"({"host": "r-{tag}", "relationships": {"space": {"data": {"guid": "{space}"}}, )"
     R"("domain": {"data": {"guid": "{domain}"}}}})",
                                    {201, 403, 403, 403, 403, 403, 403, 403, 201, 403, 201, 403}},
    {"POST route destinations", Verb::post, "/v3/routes/{route}/destinations",
     R"({"destinations": [{"app": {"guid": "{app}"}}]})",
                                    {200, 403, 403, 403, 403, 404, 404, 403, 200, 403, 200, 404}},
    {"DELETE route", Verb::delete_, "/v3/routes/{fresh}", "",
                                    {202, 403, 403, 403, 403, 404, 404, 403, 202, 403, 202, 404},
     fresh_route},
    {"GET service instance credentials", Verb::get, "/v3/service_instances/{si}/credentials", "",
                                    {200, 200, 403, 403, 404, 404, 404, 403, 200, 403, 403, 404}},
    {"POST service_credential_bindings", Verb::post, "/v3/service_credential_bindings",
     R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": "{fresh}"}}, )"
     R"("app": {"data": {"guid": "{app}"}}}})",
                                    {201, 403, 403, 403, 422, 422, 422, 403, 201, 403, 201, 422},
     fresh_instance},
    {"GET binding details", Verb::get, "/v3/service_credential_bindings/{binding}/details", "",
                                    {200, 200, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404}},
    {"GET space", Verb::get, "/v3/spaces/{space}", "",
                                    {200, 200, 200, 200, 404, 404, 404, 200, 200, 200, 200, 404}},
    {"POST space", Verb::post, "/v3/spaces",
     R"({"name": "s-{tag}", "relationships": {"organization": {"data": {"guid": "{org}"}}}})",
                                    {201, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 422}},
    {"DELETE space", Verb::delete_, "/v3/spaces/{fresh}", "",
                                    {202, 403, 403, 202, 404, 404, 404, 403, 403, 403, 403, 404},
     fresh_space},
    {"POST space role", Verb::post, "/v3/roles",
     R"({"type": "space_auditor", "relationships": {"space": {"data": {"guid": "{space}"}}, )"
     R"("user": {"data": {"guid": "{fresh}"}}}})",
                                    {201, 403, 403, 201, 403, 403, 403, 201, 403, 403, 403, 403},
     fresh_member},
    {"POST organization role", Verb::post, "/v3/roles",
     R"({"type": "organization_auditor", "relationships": {"organization": {"data": )"
     R"({"guid": "{org}"}}, "user": {"data": {"guid": "{fresh}"}}}})",
                                    {201, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 403},
     fresh_person},
    {"POST organization_quotas", Verb::post, "/v3/organization_quotas", R"({"name": "oq-{tag}"})",
                                    {201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"POST space_quotas", Verb::post, "/v3/space_quotas",
     R"({"name": "sq-{tag}", "relationships": {"organization": {"data": {"guid": "{org}"}}}})",
                                    {201, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 403}},
    {"GET app audit events", Verb::get, "/v3/audit_events?target_guids={app}", "",
     {kSome, kSome, kSome, kNone, kSome, kNone, kNone, kNone, kSome, kSome, kSome, kNone}},
    {"GET app usage events", Verb::get, "/v3/app_usage_events", "",
     {200, 200, 200, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone, kNone}},
  };
  // clang-format on
}

// Cells where Cloud Foundry's rule is easy to get wrong: a failure there names the rule.
struct Difference {
  std::string_view row;
  std::string_view role;
  const char* rule;  // Cloud Foundry's, and where it says so
};

constexpr const char* kSecretsGlobally =
    "global auditors read no secrets: permissions.rb can_read_secrets_globally? is admin or "
    "admin_read_only only (apps_spec.rb: global_auditor 403)";
constexpr const char* kAppManaging =
    "space supporters manage apps: ROLES_FOR_APP_MANAGING = space_developer + space_supporter";
constexpr const char* kBuildCreate =
    "builds_controller.rb#create: unprocessable_package! unless can_manage_apps_in_active_space? "
    "(builds_spec.rb: 422 for every role but admin, developer and supporter)";
constexpr const char* kRouteReading =
    "org auditors read routes: ROLES_FOR_ROUTE_READING = space roles + org manager + org auditor "
    "(routes_spec.rb, route_destinations_spec.rb: org_auditor 200 / 403)";
constexpr const char* kRouteCreate =
    "routes_controller.rb#create: a space that exists, then can_manage_apps_in_active_space? "
    "(routes_spec.rb: 403 for every role but admin, developer and supporter)";
constexpr const char* kDetails =
    "service_credential_bindings_controller.rb#details: not_found! unless "
    "can_read_secrets_in_space? (spec: 200 admin, admin_read_only, developer; 404 others)";
constexpr const char* kSpaceRole =
    "roles_controller.rb#create_space_role: unauthorized! unless can_update_active_space?, "
    "without a visibility check (roles_spec.rb: 403)";
constexpr const char* kWriteOrg =
    "unauthorized! unless can_write_to_active_org? once the organization exists "
    "(roles_spec.rb, space_quotas_spec.rb: 403)";
constexpr const char* kEvents =
    "permissions.rb readable_event_dataset: space events for space auditors, developers and "
    "supporters, organization events for org auditors (events_spec.rb)";
constexpr const char* kUsage =
    "app_usage_events_controller.rb#index: an empty page for whoever cannot read globally "
    "(app_usage_events_spec.rb: 200, resources [])";

const std::vector<Difference> kDifferences{
    {"GET app env", "global_auditor", kSecretsGlobally},
    {"GET app environment_variables", "global_auditor", kSecretsGlobally},
    {"PATCH app environment_variables", "space_supporter", kAppManaging},
    {"POST builds", "admin_read_only", kBuildCreate},
    {"POST builds", "global_auditor", kBuildCreate},
    {"POST builds", "organization_manager", kBuildCreate},
    {"POST builds", "space_manager", kBuildCreate},
    {"POST builds", "space_auditor", kBuildCreate},
    {"POST builds", "space_supporter", kAppManaging},
    {"PATCH current droplet", "space_supporter", kAppManaging},
    {"GET route", "organization_auditor", kRouteReading},
    {"POST routes", "organization_auditor", kRouteCreate},
    {"POST routes", "organization_billing_manager", kRouteCreate},
    {"POST routes", "organization_user", kRouteCreate},
    {"POST routes", "outsider", kRouteCreate},
    {"POST routes", "space_supporter", kAppManaging},
    {"POST route destinations", "organization_auditor", kRouteReading},
    {"DELETE route", "organization_auditor", kRouteReading},
    {"DELETE route", "space_supporter", kAppManaging},
    {"GET service instance credentials", "admin_read_only",
     "can_read_secrets_in_space? holds for admin_read_only (service_instances_spec.rb: 200)"},
    {"POST service_credential_bindings", "space_supporter", kAppManaging},
    {"GET binding details", "admin_read_only", kDetails},
    {"GET binding details", "global_auditor", kDetails},
    {"GET binding details", "organization_manager", kDetails},
    {"GET binding details", "space_manager", kDetails},
    {"GET binding details", "space_auditor", kDetails},
    {"GET binding details", "space_supporter", kDetails},
    {"POST space role", "organization_auditor", kSpaceRole},
    {"POST space role", "organization_billing_manager", kSpaceRole},
    {"POST space role", "organization_user", kSpaceRole},
    {"POST space role", "outsider", kSpaceRole},
    {"POST organization role", "outsider", kWriteOrg},
    {"POST space_quotas", "outsider", kWriteOrg},
    {"GET app audit events", "organization_manager", kEvents},
    {"GET app audit events", "organization_auditor", kEvents},
    {"GET app audit events", "space_manager", kEvents},
    {"GET app usage events", "organization_manager", kUsage},
    {"GET app usage events", "organization_auditor", kUsage},
    {"GET app usage events", "organization_billing_manager", kUsage},
    {"GET app usage events", "organization_user", kUsage},
    {"GET app usage events", "space_manager", kUsage},
    {"GET app usage events", "space_developer", kUsage},
    {"GET app usage events", "space_auditor", kUsage},
    {"GET app usage events", "space_supporter", kUsage},
    {"GET app usage events", "outsider", kUsage},
};

const Difference* difference(std::string_view row, std::string_view role) {
  for (const auto& d : kDifferences) {
    if (d.row == row && d.role == role) return &d;
  }
  return nullptr;
}

std::string shown(int expected) {
  if (expected == kSome) return "200 with resources";
  if (expected == kNone) return "200 with no resources";
  return std::to_string(expected);
}

bool matches(int expected, const http::Response& res) {
  int status = static_cast<int>(res.result_int());
  if (expected != kSome && expected != kNone) return status == expected;
  if (status != 200) return false;
  auto doc = body_of(res);
  if (!doc.IsObject() || !doc.HasMember("resources") || !doc["resources"].IsArray()) return false;
  return (doc["resources"].Size() > 0) == (expected == kSome);
}

// The first error's title, or "" when the body is not Cloud Foundry's error shape.
std::string title_of(const http::Response& res) {
  auto doc = json::parse(res.body());
  if (!doc || !doc->IsObject() || !doc->HasMember("errors") || !(*doc)["errors"].IsArray() ||
      (*doc)["errors"].Empty() || !(*doc)["errors"][0].IsObject() ||
      !(*doc)["errors"][0].HasMember("title") || !(*doc)["errors"][0]["title"].IsString()) {
    return "";
  }
  return (*doc)["errors"][0]["title"].GetString();
}

// The title Cloud Foundry puts on a refusal with this status.
std::string_view title_for(int status) {
  switch (status) {
    case 403:
      return "CF-NotAuthorized";
    case 404:
      return "CF-ResourceNotFound";
    case 422:
      return "CF-UnprocessableEntity";
    default:
      return "";
  }
}

// Runs every row for every role against Cloud Foundry's answer.
void check_table() {
  CcFixture cc;
  const Vars base = world(cc);
  const auto rows = table();
  for (const auto& d : kDifferences) {
    INFO("a difference names a row and a role of the table: " << d.row << " / " << d.role);
    CHECK(std::any_of(rows.begin(), rows.end(), [&](const Row& r) { return r.what == d.row; }));
    CHECK(std::find(kRoles.begin(), kRoles.end(), d.role) != kRoles.end());
  }
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < kRoles.size(); ++i) {
      std::string role(kRoles[i]);
      Vars v = base;
      v["role"] = role;
      v["tag"] = role;
      std::replace(v["tag"].begin(), v["tag"].end(), '_', '-');
      if (row.fresh) row.fresh(cc, v);
      auto res = cc.call(row.verb, fill(row.path, v), role, fill(row.body, v));
      const Difference* known = difference(row.what, role);
      int expected = row.cf[i];
      INFO(row.what << " as " << role << ": Cloud Foundry answers " << shown(expected)
                    << "; we answered " << res.result_int() << " " << res.body());
      INFO("Cloud Foundry's rule: " << (known ? known->rule : "as in the table"));
      CHECK(matches(expected, res));
      if (!title_for(expected).empty() && res.result_int() == static_cast<unsigned>(expected)) {
        CHECK(title_of(res) == title_for(expected));
      }
    }
  }
}

}  // namespace

TEST_CASE("each role gets Cloud Foundry's answer from each endpoint", "[roles]") { check_table(); }
