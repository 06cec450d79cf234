// Reading app manifests: the fields cf push sends, sizes, and problems named per app and
// field.
#include "cloud_controller/src/manifest/manifest.h"

#include <catch2/catch.hpp>

using namespace cupola::cc;

namespace {

std::vector<AppManifest> ok(const std::string& yaml) {
  auto parsed = parse_manifest(yaml);
  if (auto* p = std::get_if<ManifestProblem>(&parsed)) FAIL(p->message);
  return std::get<std::vector<AppManifest>>(parsed);
}

ManifestProblem problem(const std::string& yaml) {
  auto parsed = parse_manifest(yaml);
  REQUIRE(std::holds_alternative<ManifestProblem>(parsed));
  return std::get<ManifestProblem>(parsed);
}

}  // namespace

TEST_CASE("sizes take Cloud Foundry's units") {
  CHECK(parse_megabytes("256M") == 256);
  CHECK(parse_megabytes("256MB") == 256);
  CHECK(parse_megabytes("1G") == 1024);
  CHECK(parse_megabytes("2gb") == 2048);
  CHECK(parse_megabytes("512") == 512);
  CHECK(parse_megabytes("1T") == 1024 * 1024);
  CHECK(parse_megabytes("2048K") == 2);
  CHECK_FALSE(parse_megabytes("1000K"));
  CHECK_FALSE(parse_megabytes("0M"));
  CHECK_FALSE(parse_megabytes("12X"));
  CHECK_FALSE(parse_megabytes("-1M"));
  CHECK_FALSE(parse_megabytes(""));
}

TEST_CASE("log rate limits take bytes and Cloud Foundry's units") {
  CHECK(parse_log_rate("-1") == -1);
  CHECK(parse_log_rate("0") == 0);
  CHECK(parse_log_rate("512B") == 512);
  CHECK(parse_log_rate("1K") == 1024);
  CHECK(parse_log_rate("2MB") == 2 * 1024 * 1024);
  CHECK_FALSE(parse_log_rate("-2"));
  CHECK_FALSE(parse_log_rate("1X"));
  auto parsed = parse_manifest("applications:\n- name: web\n  log-rate-limit-per-second: 16K\n");
  REQUIRE(std::holds_alternative<std::vector<AppManifest>>(parsed));
  CHECK(std::get<std::vector<AppManifest>>(parsed)[0].web.log_rate_limit == 16 * 1024);
}

TEST_CASE("a manifest as cf push sends it") {
  auto apps = ok(R"(applications:
- name: app2
  disk-quota: 512M
  health-check-type: http
  health-check-http-endpoint: /health
  timeout: 60
  instances: 2
  path: /abs/local/dir
  memory: 256M
  default-route: true
  stack: cupolafs
  buildpacks: [python_buildpack, default]
  command: python3 app.py
  env: {FOO: bar, NUM: 3, YES: true}
  routes:
  - route: app2.apps.localhost/api
  processes:
  - type: worker
    instances: 1
    memory: 128M
    command: python3 worker.py
- name: other
  no-route: true
)");
  REQUIRE(apps.size() == 2);
  const auto& a = apps[0];
  CHECK(a.name == "app2");
  CHECK(a.web.instances == 2);
  CHECK(a.web.memory_mb == 256);
  CHECK(a.web.disk_mb == 512);
  CHECK(a.web.command == "python3 app.py");
  CHECK(a.web.health_check_type == "http");
  CHECK(a.web.health_check_endpoint == "/health");
  CHECK(a.web.timeout == 60);
  CHECK(a.stack == "cupolafs");
  CHECK(a.buildpacks == std::vector<std::string>{"python_buildpack"});
  CHECK(a.env == std::vector<std::pair<std::string, std::string>>{
                     {"FOO", "bar"}, {"NUM", "3"}, {"YES", "true"}});
  CHECK(a.routes == std::vector<std::string>{"app2.apps.localhost/api"});
  CHECK(a.default_route);
  REQUIRE(a.processes.size() == 1);
  CHECK(a.processes[0].type == "worker");
  CHECK(a.processes[0].memory_mb == 128);
  CHECK(apps[1].no_route);
  CHECK(apps[1].web.empty());
}

TEST_CASE("problems name the app and the field; YAML that is not YAML is a parse error") {
  auto p = problem("applications:\n- name: web\n  memory: 12X\n  instances: many\n");
  CHECK_FALSE(p.syntax);
  CHECK(p.message ==
        "For application 'web': Instances must be an integer, For application 'web': Memory must "
        "use a supported unit: B, K, KB, M, MB, G, GB, T, or TB");
  CHECK(problem("applications:\n- name: web\n  env: {VCAP_SERVICES: x}\n").message ==
        "For application 'web': Env cannot start with VCAP_");
  CHECK(problem("applications:\n- name: web\n  health-check-type: tcp\n").message ==
        "For application 'web': Health check type must be \"port\", \"process\", or \"http\"");
  CHECK(problem("applications:\n- memory: 1G\n").message == "Name must not be empty");
  CHECK(problem("applications: []\n").message == "Applications must have at least 1 application");
  CHECK(problem("applications:\n- name: [unclosed\n").syntax);
  CHECK(problem("{{{").syntax);
}

TEST_CASE("aliases cannot make a small manifest expensive: nothing nested is expanded") {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'h'; ++c) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", " : "") + "*" + prev;
    yaml += "]\n";
    prev = c;
  }
  yaml += "applications:\n- name: web\n  buildpacks: *h\n";
  auto p = problem(yaml);
  CHECK_FALSE(p.syntax);
  CHECK(p.message.rfind("For application 'web': Buildpacks must be a string", 0) == 0);
}
