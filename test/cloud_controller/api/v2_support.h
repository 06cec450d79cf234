#pragma once

// What the v2 API tests share: v2 request bodies, error codes, and waiting for an operation.

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/api/osb_test_broker.h"
#include "test/cloud_controller/api/service_world.h"

namespace cupola::cc::test {

using http::StatusCode;

inline std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : ""; }

// The v2 error's error_code (and code), as the cf CLI switches on them.
inline std::string error_code(const http::Response& res) {
  return text(body_of(res)["error_code"]);
}
inline int code_of(const http::Response& res) { return body_of(res)["code"].GetInt(); }

inline std::string create_body(const ServiceWorld& w, const std::string& name,
                               const std::string& plan, const std::string& extra = "") {
  return R"({"name": ")" + name + R"(", "service_plan_guid": ")" + plan + R"(", "space_guid": ")" +
         w.space + "\"" + (extra.empty() ? "" : ", " + extra) + "}";
}

// cf create-service's POST, answered at once: the instance's guid.
inline std::string created(CcFixture& cc, const ServiceWorld& w, const std::string& name) {
  auto res = cc.post("/v2/service_instances?accepts_incomplete=true", "dev",
                     create_body(w, name, w.small));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return text(body_of(res)["metadata"]["guid"]);
}

inline std::string bind_body(const std::string& instance, const std::string& app) {
  return R"({"service_instance_guid": ")" + instance + R"(", "app_guid": ")" + app +
         R"(", "parameters": null})";
}

// GETs `path` until `done` holds for its body (bounded): the last body.
inline json::Document polled(CcFixture& cc, const std::string& path,
                             const std::function<bool(const json::Document&)>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  for (;;) {
    auto res = cc.get(path, "dev");
    REQUIRE(res.result() == StatusCode::ok);
    auto doc = body_of(res);
    if (done(doc)) return doc;
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The space's instance of that name as cf delete-service and cf service look it up.
inline std::string by_name(const ServiceWorld& w, const std::string& name, bool inlined = false) {
  return "/v2/spaces/" + w.space +
         "/service_instances?return_user_provided_service_instances=true" + "&q=name%3A" + name +
         (inlined ? "&inline-relations-depth=1" : "");
}

}  // namespace cupola::cc::test
