// Bad input to the write endpoints and the lists, refused the way Cloud Foundry refuses it:
// malformed JSON (400 CF-MessageParseError), an array for an object and wrong types (422
// CF-UnprocessableEntity naming the field), unknown guids in a body (422, "Ensure that ...
// exists and you have access to it.") or a path (404), overlong names, and list queries Cloud
// Foundry does not take (400 CF-BadQueryParameter). Every refusal has Cloud Foundry's shape,
// {"errors": [{"code", "title", "detail"}]}, and changes nothing.
#include <algorithm>
#include <cctype>

#include "test/cloud_controller/api/cc_fixture.h"

using namespace cupola;
using namespace cupola::cc::test;
using http::Verb;

namespace {

struct Place {
  std::string org, space, app, route, domain, si;
};

std::string guid_of(const http::Response& res) {
  INFO(res.body());
  REQUIRE(res.result_int() >= 200);
  REQUIRE(res.result_int() < 300);
  return body_of(res)["guid"].GetString();
}

// `"relationships": {"<name>": {"data": {"guid": "<guid>"}}}`
std::string rel(const std::string& name, const std::string& guid) {
  return R"("relationships": {")" + name + R"(": {"data": {"guid": ")" + guid + R"("}}})";
}

Place place(CcFixture& cc) {
  Place p;
  p.org = guid_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"));
  p.space = guid_of(
      cc.post("/v3/spaces", "admin", R"({"name": "main", )" + rel("organization", p.org) + "}"));
  p.app =
      guid_of(cc.post("/v3/apps", "admin", R"({"name": "web", )" + rel("space", p.space) + "}"));
  p.domain = guid_of(cc.post("/v3/domains", "admin", R"({"name": "apps.example.com"})"));
  p.route = guid_of(cc.post("/v3/routes", "admin",
                            R"({"host": "web", "relationships": {"space": {"data": {"guid": ")" +
                                p.space + R"("}}, "domain": {"data": {"guid": ")" + p.domain +
                                R"("}}}})"));
  p.si =
      guid_of(cc.post("/v3/service_instances", "admin",
                      R"({"type": "user-provided", "name": "db", )" + rel("space", p.space) + "}"));
  return p;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

int code_for(std::string_view title) {
  if (title == "CF-MessageParseError") return 1001;
  if (title == "CF-BadQueryParameter") return 10005;
  if (title == "CF-UnprocessableEntity") return 10008;
  if (title == "CF-ResourceNotFound") return 10010;
  return 0;
}

// A refusal as Cloud Foundry writes one: one error with its code, title and a detail that
// holds `part` (case aside).
void check_refusal(const http::Response& res, int status, std::string_view title,
                   const std::string& part) {
  CHECK(res.result_int() == static_cast<unsigned>(status));
  auto doc = json::parse(res.body());
  bool shaped = doc.ok() && doc->IsObject() && doc->MemberCount() == 1 &&
                doc->HasMember("errors") && (*doc)["errors"].IsArray() &&
                (*doc)["errors"].Size() == 1 && (*doc)["errors"][0].IsObject();
  const json::Value* e = shaped ? &(*doc)["errors"][0] : nullptr;
  shaped = shaped && e->MemberCount() == 3 && e->HasMember("code") && (*e)["code"].IsInt() &&
           e->HasMember("title") && (*e)["title"].IsString() && e->HasMember("detail") &&
           (*e)["detail"].IsString();
  CHECK(shaped);  // {"errors": [{"code": <int>, "title": <string>, "detail": <string>}]}
  if (!shaped) return;
  CHECK(std::string_view((*e)["title"].GetString()) == title);
  CHECK((*e)["code"].GetInt() == code_for(title));
  CHECK_THAT(lower((*e)["detail"].GetString()), Catch::Contains(lower(part)));
}

struct Bad {
  std::string what;
  std::string body;
  int status;
  std::string_view title;
  std::string detail;  // a part of Cloud Foundry's detail
  std::string path;    // instead of the endpoint's
};

constexpr std::string_view kParse = "CF-MessageParseError";
constexpr std::string_view kInvalid = "CF-UnprocessableEntity";
constexpr std::string_view kNotFound = "CF-ResourceNotFound";

// One endpoint's bad requests, and the reads whose answers must not change through them.
struct Endpoint {
  std::string path;
  std::vector<Bad> cases;
  Verb verb = Verb::post;
  std::vector<std::string> unchanged = {};  // the path itself when empty
  std::string content_type = "application/json";
};

void check_endpoint(CcFixture& cc, Endpoint ep) {
  if (ep.unchanged.empty()) ep.unchanged.push_back(ep.path);
  std::vector<std::string> before;
  for (const auto& read : ep.unchanged) before.push_back(cc.get(read, "admin").body());
  for (const auto& c : ep.cases) {
    std::string path = c.path.empty() ? ep.path : c.path;
    auto res = cc.send(ep.verb, path, "admin", ep.content_type, c.body);
    INFO(path << " with " << c.what << ": " << c.body.substr(0, 300) << "\n  -> "
              << res.result_int() << " " << res.body());
    check_refusal(res, c.status, c.title, c.detail);
  }
  for (std::size_t i = 0; i < ep.unchanged.size(); ++i) {
    INFO("after the refusals of " << ep.path << ", " << ep.unchanged[i] << " is as it was");
    CHECK(cc.get(ep.unchanged[i], "admin").body() == before[i]);
  }
}

// Every JSON endpoint: malformed JSON, and an array where an object belongs.
std::vector<Bad> with_common(std::vector<Bad> cases) {
  cases.insert(cases.begin(), {{"malformed JSON", R"({"name": "x",)", 400, kParse,
                                "Request invalid due to parse error"},
                               {"an array", R"([{"name": "x"}])", 422, kInvalid, ""}});
  return cases;
}

std::vector<Endpoint> endpoints(const Place& p) {
  const std::string long_name(256, 'n');
  const std::string app_path = "/v3/apps/" + p.app;
  const std::string in_space = rel("space", p.space);
  const std::string in_org = rel("organization", p.org);
  const std::string route_rels = R"("relationships": {"space": {"data": {"guid": ")" + p.space +
                                 R"("}}, "domain": {"data": {"guid": ")" + p.domain + R"("}}})";
  std::string long_domain;
  while (long_domain.size() < 254) long_domain += std::string(60, 'd') + ".";
  long_domain += "com";
  return {
      {"/v3/organizations",
       with_common({{"name a number", R"({"name": 5})", 422, kInvalid, "Name must be a string"},
                    {"name a list", R"({"name": ["a"]})", 422, kInvalid, "Name must be a string"},
                    {"no name", R"({})", 422, kInvalid, "Name"},
                    {"name of 256", R"({"name": ")" + long_name + R"("})", 422, kInvalid,
                     "Name is too long (maximum is 255 characters)"}})},
      {"/v3/spaces",
       with_common(
           {{"name a number", R"({"name": 5, )" + in_org + "}", 422, kInvalid,
             "Name must be a string"},
            {"name of 256", R"({"name": ")" + long_name + R"(", )" + in_org + "}", 422, kInvalid,
             "Name is too long (maximum is 255 characters)"},
            {"unknown organization", R"({"name": "x", )" + rel("organization", "nope") + "}", 422,
             kInvalid,
             "Invalid organization. Ensure the organization exists and you have access to it."}})},
      {"/v3/roles",
       with_common(
           {{"type a number",
             R"({"type": 5, "relationships": {"space": {"data": {"guid": ")" + p.space +
                 R"("}}, "user": {"data": {"guid": "admin-guid"}}}})",
             422, kInvalid, "Type must be one of the allowed types"},
            {"unknown space",
             R"({"type": "space_auditor", "relationships": {"space": {"data": {"guid": "nope"}},)"
             R"( "user": {"data": {"guid": "admin-guid"}}}})",
             422, kInvalid,
             "Invalid space. Ensure that the space exists and you have access to it."},
            {"unknown organization",
             R"({"type": "organization_auditor", "relationships": {"organization": {"data": )"
             R"({"guid": "nope"}}, "user": {"data": {"guid": "admin-guid"}}}})",
             422, kInvalid,
             "Invalid organization. Ensure that the organization exists and you have access to "
             "it."}})},
      {"/v3/apps",
       with_common(
           {{"name a number", R"({"name": 5, )" + in_space + "}", 422, kInvalid,
             "Name must be a string"},
            {"name of 256", R"({"name": ")" + long_name + R"(", )" + in_space + "}", 422, kInvalid,
             "Name is too long (maximum is 255 characters)"},
            {"lifecycle a string", R"({"name": "x", "lifecycle": "x", )" + in_space + "}", 422,
             kInvalid, "Lifecycle"},
            {"unknown space", R"({"name": "x", )" + rel("space", "nope") + "}", 422, kInvalid,
             "Invalid space. Ensure that the space exists and you have access to it."}})},
      {app_path,
       with_common({{"name a number", R"({"name": 5})", 422, kInvalid, "Name must be a string"},
                    {"name of 256", R"({"name": ")" + long_name + R"("})", 422, kInvalid,
                     "Name is too long (maximum is 255 characters)"},
                    {"an unknown guid in the path", R"({"name": "x"})", 404, kNotFound,
                     "App not found", "/v3/apps/nope"}}),
       Verb::patch},
      {app_path + "/processes/web/actions/scale",
       with_common({{"instances a string", R"({"instances": "x"})", 422, kInvalid, "Instances"},
                    {"instances below 0", R"({"instances": -1})", 422, kInvalid,
                     "Instances must be greater than or equal to 0"},
                    {"memory a string", R"({"memory_in_mb": "x"})", 422, kInvalid, "Memory in mb"},
                    {"disk a fraction", R"({"disk_in_mb": 1.5})", 422, kInvalid, "Disk in mb"},
                    {"an unknown guid in the path", R"({"instances": 1})", 404, kNotFound,
                     "App not found", "/v3/apps/nope/processes/web/actions/scale"},
                    {"an unknown guid in the path", R"({"instances": 1})", 404, kNotFound,
                     "Process not found", app_path + "/processes/nope/actions/scale"}}),
       Verb::post,
       {app_path + "/processes"}},
      {"/v3/packages",
       with_common({{"type a number", R"({"type": 5, )" + rel("app", p.app) + "}", 422, kInvalid,
                     "Type must be one of 'bits, docker'"},
                    {"unknown app", R"({"type": "bits", )" + rel("app", "nope") + "}", 422,
                     kInvalid, "App is invalid. Ensure it exists and you have access to it."}})},
      {"/v3/builds",
       with_common(
           {{"package a string", R"({"package": "x"})", 422, kInvalid, "Package"},
            {"unknown package", R"({"package": {"guid": "nope"}})", 422, kInvalid,
             "Unable to use package. Ensure that the package exists and you have access to it."},
            {"staging memory a string",
             R"({"package": {"guid": "nope"}, "staging_memory_in_mb": "x"})", 422, kInvalid,
             "Staging memory in mb"}}),
       Verb::post,
       {"/v3/builds", "/v3/droplets"}},
      {"/v3/routes",
       with_common(
           {{"host a number", R"({"host": 5, )" + route_rels + "}", 422, kInvalid,
             "Host must be a string"},
            {"path a number", R"({"host": "x", "path": 5, )" + route_rels + "}", 422, kInvalid,
             "Path must be a string"},
            {"host of 64", R"({"host": ")" + std::string(64, 'h') + R"(", )" + route_rels + "}",
             422, kInvalid, "Host"},
            {"unknown space",
             R"({"host": "x", "relationships": {"space": {"data": {"guid": "nope"}}, )"
             R"("domain": {"data": {"guid": ")" +
                 p.domain + R"("}}}})",
             422, kInvalid,
             "Invalid space. Ensure that the space exists and you have access to it."},
            {"unknown domain",
             R"({"host": "x", "relationships": {"space": {"data": {"guid": ")" + p.space +
                 R"("}}, "domain": {"data": {"guid": "nope"}}}})",
             422, kInvalid,
             "Invalid domain. Ensure that the domain exists and you have access to it."}})},
      {"/v3/routes/" + p.route + "/destinations",
       with_common(
           {{"destinations an object", R"({"destinations": {}})", 422, kInvalid,
             "Destinations must be an array"},
            {"unknown app", R"({"destinations": [{"app": {"guid": "nope"}}]})", 422, kInvalid,
             R"(App(s) with guid(s) "nope" do not exist or you do not have access.)"},
            {"an unknown guid in the path",
             R"({"destinations": [{"app": {"guid": ")" + p.app + R"("}}]})", 404, kNotFound,
             "Route not found", "/v3/routes/nope/destinations"}})},
      {"/v3/domains",
       with_common(
           {{"name a number", R"({"name": 5})", 422, kInvalid, "Name"},
            {"name of 254", R"({"name": ")" + long_domain + R"("})", 422, kInvalid, "Name"},
            {"unknown organization",
             R"({"name": "x.example.com", )" + rel("organization", "nope") + "}", 422, kInvalid,
             "Organization with guid 'nope' does not exist or you do not have access to it."}})},
      {"/v3/organization_quotas",
       with_common(
           {{"name a number", R"({"name": 5})", 422, kInvalid, "Name"},
            {"apps a string", R"({"name": "q", "apps": "x"})", 422, kInvalid,
             "Apps must be an object"},
            {"total memory a string", R"({"name": "q", "apps": {"total_memory_in_mb": "x"}})", 422,
             kInvalid, "Total memory in mb"},
            {"paid services a string",
             R"({"name": "q", "services": {"paid_services_allowed": "x"}})", 422, kInvalid,
             "Paid services allowed must be a boolean"}})},
      {"/v3/space_quotas",
       with_common(
           {{"name a number", R"({"name": 5, )" + in_org + "}", 422, kInvalid, "Name"},
            {"total routes below 0",
             R"({"name": "q", "routes": {"total_routes": -1}, )" + in_org + "}", 422, kInvalid,
             "Total routes"},
            {"unknown organization", R"({"name": "q", )" + rel("organization", "nope") + "}", 422,
             kInvalid,
             "Organization with guid 'nope' does not exist, or you do not have access to it."}})},
      {"/v3/service_instances",
       with_common(
           {{"name a number", R"({"type": "user-provided", "name": 5, )" + in_space + "}", 422,
             kInvalid, "Name"},
            {"name of 256",
             R"({"type": "user-provided", "name": ")" + long_name + R"(", )" + in_space + "}", 422,
             kInvalid, "Name"},
            {"type a number", R"({"type": 5, "name": "x", )" + in_space + "}", 422, kInvalid,
             "Type"},
            {"credentials a string",
             R"({"type": "user-provided", "name": "x", "credentials": "x", )" + in_space + "}", 422,
             kInvalid, "Credentials must be an object"},
            {"tags a string",
             R"({"type": "user-provided", "name": "x", "tags": "x", )" + in_space + "}", 422,
             kInvalid, "Tags"},
            {"unknown space",
             R"({"type": "user-provided", "name": "x", )" + rel("space", "nope") + "}", 422,
             kInvalid, "Invalid space. Ensure that the space exists and you have access to it."}})},
      {"/v3/service_credential_bindings",
       with_common(
           {{"type a number",
             R"({"type": 5, "relationships": {"service_instance": {"data": {"guid": ")" + p.si +
                 R"("}}, "app": {"data": {"guid": ")" + p.app + R"("}}}})",
             422, kInvalid, "Type must be 'app' or 'key'"},
            {"unknown service instance",
             R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": "nope"}},)"
             R"( "app": {"data": {"guid": ")" +
                 p.app + R"("}}}})",
             422, kInvalid, "service instance could not be found"},
            {"unknown app",
             R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": ")" + p.si +
                 R"("}}, "app": {"data": {"guid": "nope"}}}})",
             422, kInvalid, "nope"}})},
      {app_path + "/environment_variables",
       with_common({{"var a string", R"({"var": "x"})", 422, kInvalid, "Var must be an object"},
                    {"a number value", R"({"var": {"A": 5}})", 422, kInvalid, ""},
                    {"a VCAP_ name", R"({"var": {"VCAP_X": "y"}})", 422, kInvalid, "VCAP_"}}),
       Verb::patch},
      {"/v3/feature_flags/app_scaling",
       with_common(
           {{"enabled a string", R"({"enabled": "x"})", 422, kInvalid, "Enabled must be a boolean"},
            {"message a number", R"({"custom_error_message": 5})", 422, kInvalid,
             "Custom error message must be a string"},
            {"an unknown flag in the path", R"({"enabled": true})", 404, kNotFound,
             "Feature flag not found", "/v3/feature_flags/nope"}}),
       Verb::patch},
      {"/v3/environment_variable_groups/running",
       with_common(
           {{"var a string", R"({"var": "x"})", 422, kInvalid, "Var must be an object"},
            {"a number value", R"({"var": {"A": 5}})", 422, kInvalid,
             "Non-string value in environment variable for key 'A', value '5'"},
            {"an unknown group in the path", R"({"var": {"A": "b"}})", 404, kNotFound,
             "Environment variable group not found", "/v3/environment_variable_groups/nope"}}),
       Verb::patch},
      {"/v3/spaces/" + p.space + "/actions/apply_manifest",
       {{"malformed YAML", "applications: [", 400, kParse, "Request invalid due to parse error"},
        {"instances a word", "applications:\n- name: web\n  instances: many\n", 422, kInvalid,
         "Instances"},
        {"an unknown guid in the path", "applications:\n- name: web\n", 404, kNotFound,
         "Space not found", "/v3/spaces/nope/actions/apply_manifest"}},
       Verb::post,
       {"/v3/apps", "/v3/routes"},
       "application/x-yaml"},
  };
}

// Lists, with the queries Cloud Foundry refuses.
void check_lists(CcFixture& cc, const Place& p) {
  // clang-format off
  const std::vector<std::string> lists{
      "/v3/organizations", "/v3/spaces", "/v3/roles", "/v3/apps", "/v3/processes", "/v3/packages",
      "/v3/builds", "/v3/droplets", "/v3/routes", "/v3/domains", "/v3/organization_quotas",
      "/v3/space_quotas", "/v3/service_instances", "/v3/service_credential_bindings",
      "/v3/audit_events", "/v3/feature_flags", "/v3/apps/" + p.app + "/processes",
      "/v3/apps/" + p.app + "/routes"};
  // clang-format on
  for (const auto& list : lists) {
    for (const auto& [query, detail] : std::vector<std::pair<std::string, std::string>>{
             {"bogus=1", "Unknown query parameter(s): 'bogus'"},
             {"per_page=0", "Per page must be"},
             {"per_page=5001", "Per page must be between 1 and 5000"},
             {"per_page=x", "Per page must be"},
             {"page=0", "Page must be a positive integer"},
             {"order_by=bogus", "Order by can only be: "}}) {
      auto res = cc.get(list + "?" + query, "admin");
      INFO(list << "?" << query << " -> " << res.result_int() << " " << res.body());
      check_refusal(res, 400, "CF-BadQueryParameter", detail);
    }
  }
}

// Refusals whose exact words are easy to get wrong; each case names the rule.
std::vector<Endpoint> differing(const Place& p) {
  const std::string in_org = rel("organization", p.org);
  const std::string app_path = "/v3/apps/" + p.app;
  const std::string long_quota(251, 'q');
  return {
      // application_controller.rb#handle_invalid_request_body: the detail is fixed.
      {"/v3/organizations",
       {{"malformed JSON", R"({"name": "x",)", 400, kParse,
         "Request invalid due to parse error: invalid request body"},
        // NoAdditionalKeysValidator (organization_create_message.rb).
        {"an unknown field", R"({"name": "x", "bogus": 1})", 422, kInvalid,
         "Unknown field(s): 'bogus'"},
        // validates :name, presence: true.
        {"an empty name", R"({"name": ""})", 422, kInvalid, "Name can't be blank"}}},
      // RelationshipValidator (validators.rb).
      {"/v3/spaces",
       {{"relationships a string", R"({"name": "x", "relationships": "x"})", 422, kInvalid,
         "Relationships 'relationships' is not an object"}}},
      // app_create_message.rb: validates :environment_variables, hash: true.
      {"/v3/apps",
       {{"environment variables a string",
         R"({"name": "x", "environment_variables": "x", )" + rel("space", p.space) + "}", 422,
         kInvalid, "Environment variables must be an object"}}},
      // EnvironmentVariablesStringValuesValidator (validators.rb).
      {app_path + "/environment_variables",
       {{"a number value", R"({"var": {"A": 5}})", 422, kInvalid,
         "Non-string value in environment variable for key 'A', value '5'"},
        {"a VCAP_ name", R"({"var": {"VCAP_X": "y"}})", 422, kInvalid,
         "Var cannot start with VCAP_"}},
       Verb::patch},
      // roles_controller.rb#unprocessable_space_user!.
      {"/v3/roles",
       {{"unknown user",
         R"({"type": "space_auditor", "relationships": {"space": {"data": {"guid": ")" + p.space +
             R"("}}, "user": {"data": {"guid": "nope"}}}})",
         422, kInvalid,
         "Users cannot be assigned roles in a space if they do not have a role in that space's "
         "organization."}}},
      // route_create_message.rb: validates :host, length: {maximum: 63}.
      {"/v3/routes",
       {{"host of 64",
         R"({"host": ")" + std::string(64, 'h') +
             R"(", "relationships": {"space": {"data": {"guid": ")" + p.space +
             R"("}}, "domain": {"data": {"guid": ")" + p.domain + R"("}}}})",
         422, kInvalid, "Host is too long (maximum is 63 characters)"}}},
      // domain_create_message.rb: validates :name, string: true; :internal, boolean: true.
      {"/v3/domains",
       {{"name a number", R"({"name": 5})", 422, kInvalid, "Name must be a string"},
        {"internal a string", R"({"name": "y.example.com", "internal": "yes"})", 422, kInvalid,
         "Internal must be a boolean"}}},
      // organization_quotas_update_message.rb, space_quota_update_message.rb: names of 1 to 250.
      {"/v3/organization_quotas",
       {{"name a number", R"({"name": 5})", 422, kInvalid, "Name must be a string"},
        {"name of 251", R"({"name": ")" + long_quota + R"("})", 422, kInvalid,
         "Name is too long (maximum is 250 characters)"}}},
      {"/v3/space_quotas",
       {{"name of 251", R"({"name": ")" + long_quota + R"(", )" + in_org + "}", 422, kInvalid,
         "Name is too long (maximum is 250 characters)"}}},
      // service_instance_create_message.rb: validates :name, string: true.
      {"/v3/service_instances",
       {{"name a number", R"({"type": "user-provided", "name": 5, )" + rel("space", p.space) + "}",
         422, kInvalid, "Name must be a string"}}},
      // service_credential_bindings_controller.rb#unprocessable_resource!.
      {"/v3/service_credential_bindings",
       {{"unknown service instance",
         R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": "nope"}},)"
         R"( "app": {"data": {"guid": ")" +
             p.app + R"("}}}})",
         422, kInvalid, "The service instance could not be found: 'nope'"},
        {"unknown app",
         R"({"type": "app", "relationships": {"service_instance": {"data": {"guid": ")" + p.si +
             R"("}}, "app": {"data": {"guid": "nope"}}}})",
         422, kInvalid, "The app could not be found: 'nope'"}}},
      // application_controller.rb#parsed_yaml: a manifest that is not a hash;
      // space_manifests_controller.rb#parsed_app_manifests: no applications.
      {"/v3/spaces/" + p.space + "/actions/apply_manifest",
       {{"a list for a manifest", "- name: web\n", 400, kParse,
         "Request invalid due to parse error: invalid request body"},
        {"no applications", "version: 1\n", 422, kInvalid,
         "Cannot parse manifest with no 'applications' field."}},
       Verb::post,
       {"/v3/apps"},
       "application/x-yaml"},
      // list_message.rb PaginationPageValidator: "must be a positive integer" below 1.
      {"/v3/apps?per_page=0",
       {{"per_page 0", "", 400, "CF-BadQueryParameter", "Per page must be a positive integer"},
        {"per_page x", "", 400, "CF-BadQueryParameter", "Per page must be a positive integer",
         "/v3/apps?per_page=x"}},
       Verb::get,
       {"/v3/apps"}},
  };
}

}  // namespace

TEST_CASE("bad input is refused with Cloud Foundry's status, title and words", "[bad-input]") {
  CcFixture cc;
  Place p = place(cc);
  for (const auto& ep : endpoints(p)) check_endpoint(cc, ep);
  check_lists(cc, p);
}

TEST_CASE("bad input: the finer points of Cloud Foundry's wording", "[bad-input]") {
  CcFixture cc;
  Place p = place(cc);
  for (const auto& ep : differing(p)) check_endpoint(cc, ep);
}
