// The Open Service Broker API conformance checks of osb-checker (its catalog, provision,
// last_operation, update, bind, fetch, unbind and deprovision suites), made against a real
// cupola-pg-broker process on a private Postgres, in the order osb-checker's lifecycle runs
// them: asynchronously for instances and synchronously for bindings, then all synchronously.
#include <catch2/catch.hpp>

#include <set>

#include "common/core/guid.h"
#include "test/service_broker/broker_fixture.h"

using namespace cupola;
using namespace cupola::pg_broker::test;
using http::StatusCode;
using http::Verb;

namespace {

void expect(const http::Response& res, StatusCode status) {
  INFO("status " << res.result_int() << ", body: " << res.body());
  CHECK(res.result() == status);
}

// An OSB error body names its error.
void expect_error(const http::Response& res, StatusCode status, const std::string& error) {
  expect(res, status);
  auto doc = body_of(res);
  REQUIRE(doc.HasMember("error"));
  CHECK(std::string(doc["error"].GetString()) == error);
  CHECK(doc["description"].GetStringLength() > 0);
}

// Every endpoint: 412 without (or below 2.13 in) X-Broker-API-Version, 401 without basic
// auth or with a wrong password. The checks come before the body is read.
void check_headers(BrokerProcess& b, Verb verb, const std::string& target) {
  expect_error(b.call(verb, target, "{}", Call{.version = ""}), StatusCode::precondition_failed,
               "PreconditionFailed");
  expect(b.call(verb, target, "{}", Call{.version = "2.12"}), StatusCode::precondition_failed);
  auto denied = b.call(verb, target, "{}", Call{.auth = false});
  expect_error(denied, StatusCode::unauthorized, "Unauthorized");
  CHECK(denied[http::bhttp::field::www_authenticate].starts_with("Basic"));
  expect(b.call(verb, target, "{}", Call{.password = "wrong"}), StatusCode::unauthorized);
}

std::string instance_path(const std::string& id) { return "/v2/service_instances/" + id; }

}  // namespace

TEST_CASE("osb conformance: catalog") {
  testing::NatsServer nats;
  auto& pg = target_cluster();
  BrokerProcess b(nats, pg.conninfo(pg.fresh_database("broker")), admin_conninfo(pg), true);

  check_headers(b, Verb::get, "/v2/catalog");
  auto res = b.call(Verb::get, "/v2/catalog");
  expect(res, StatusCode::ok);
  CHECK(res[http::bhttp::field::content_type] == "application/json");
  auto doc = body_of(res);
  REQUIRE(doc["services"].IsArray());
  REQUIRE(doc["services"].Size() == 1);
  const auto& s = doc["services"][0];
  CHECK(std::string(s["id"].GetString()) == kServiceId);
  CHECK(std::string(s["name"].GetString()) == "postgresql");
  CHECK(s["description"].GetStringLength() > 0);
  CHECK(s["bindable"].GetBool());
  CHECK(s["plan_updateable"].GetBool());
  REQUIRE(s["tags"].Size() == 2);
  CHECK(std::string(s["tags"][0].GetString()) == "postgresql");
  CHECK(std::string(s["tags"][1].GetString()) == "relational");
  REQUIRE(s["plans"].Size() == 3);
  std::set<std::string> ids{s["id"].GetString()}, names;
  for (const auto& p : s["plans"].GetArray()) {
    std::string name = p["name"].GetString();
    // CLI-friendly: alphanumerics, periods and hyphens.
    CHECK(name.find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
          std::string::npos);
    CHECK(ids.insert(p["id"].GetString()).second);
    CHECK(names.insert(name).second);
    CHECK(p["description"].GetStringLength() > 0);
    CHECK(p["schemas"]["service_instance"]["create"]["parameters"].HasMember("$schema"));
  }
  CHECK(names == std::set<std::string>{"small", "medium", "large"});
  // Unknown paths answer in OSB's error shape too.
  expect_error(b.call(Verb::get, "/v2/nothing"), StatusCode::not_found, "NotFound");
}

TEST_CASE("osb conformance: asynchronous instances, synchronous bindings") {
  testing::NatsServer nats;
  auto& pg = target_cluster();
  BrokerProcess b(nats, pg.conninfo(pg.fresh_database("broker")), admin_conninfo(pg), true);
  RandomGuidGenerator guids;
  const std::string id = guids.next();
  const std::string binding = guids.next();
  const std::string put = instance_path(id) + "?accepts_incomplete=true";

  // PROVISIONING - request syntax
  check_headers(b, Verb::put, put);
  expect_error(b.call(Verb::put, instance_path(id) + "?accepts_incomplete=false", provision_body()),
               StatusCode::unprocessable_entity, "AsyncRequired");
  expect_error(b.call(Verb::put, instance_path(id), provision_body()),
               StatusCode::unprocessable_entity, "AsyncRequired");
  for (const std::string field : {"service_id", "plan_id", "organization_guid", "space_guid"}) {
    std::string body = provision_body();
    body.replace(body.find("\"" + field + "\""), field.size() + 2, "\"x\"");
    INFO("without " << field);
    expect_error(b.call(Verb::put, put, body), StatusCode::bad_request, "BadRequest");
  }
  std::string bad_service = provision_body();
  bad_service.replace(bad_service.find(kServiceId), std::strlen(kServiceId), "xxxx-xxxx-xxxx-xxxx");
  expect(b.call(Verb::put, put, bad_service), StatusCode::bad_request);
  expect(b.call(Verb::put, put, provision_body("xxxx-xxxx-xxxx-xxxx")), StatusCode::bad_request);
  expect(
      b.call(Verb::put, put, provision_body(kSmall, R"(, "parameters": {"can-not": "be-good"})")),
      StatusCode::bad_request);
  expect(b.call(Verb::put, put, "not json"), StatusCode::bad_request);
  expect(b.call(Verb::put, put, std::string(70 * 1024, ' ')), StatusCode::payload_too_large);
  // None of that made an instance.
  expect(b.call(Verb::get, instance_path(id) + "/last_operation"), StatusCode::not_found);

  // PROVISIONING - new
  auto created = b.call(Verb::put, put, provision_body(),
                        Call{.identity = "cloudfoundry eyJ1c2VyX2lkIjoiNjgzZWE3NDgifQ=="});
  expect(created, StatusCode::accepted);
  CHECK(std::string(body_of(created)["operation"].GetString()) == "provision");

  // PROVISIONING - poll
  check_headers(b, Verb::get, instance_path(id) + "/last_operation");
  expect(b.call(Verb::get, instance_path(id) + "/last_operation"), StatusCode::ok);
  auto provisioned = b.poll(id, "provision");
  expect(provisioned, StatusCode::ok);
  CHECK(state_of(provisioned) == "succeeded");
  expect(b.call(Verb::get, instance_path(id) + "/last_operation?operation=task_10"),
         StatusCode::bad_request);

  // PROVISIONING - existed
  expect(b.call(Verb::put, put, provision_body()), StatusCode::ok);
  expect_error(b.call(Verb::put, put, provision_body(kMedium)), StatusCode::conflict, "Conflict");

  // RETRIEVE INSTANCE
  check_headers(b, Verb::get, instance_path(id));
  auto fetched = b.call(Verb::get, instance_path(id));
  expect(fetched, StatusCode::ok);
  CHECK(std::string(body_of(fetched)["plan_id"].GetString()) == kSmall);
  expect(b.call(Verb::get, instance_path(guids.next())), StatusCode::not_found);

  // UPDATE - request syntax
  const std::string update = R"({"service_id": ")" + std::string(kServiceId) +
                             R"(", "plan_id": ")" + kLarge +
                             R"(", "previous_values": {"plan_id": ")" + kSmall + R"("}})";
  check_headers(b, Verb::patch, put);
  expect_error(b.call(Verb::patch, instance_path(id), update), StatusCode::unprocessable_entity,
               "AsyncRequired");
  expect(b.call(Verb::patch, put, R"({"plan_id": ")" + std::string(kLarge) + R"("})"),
         StatusCode::bad_request);
  expect(b.call(Verb::patch, put, R"({"service_id": "xxxx-xxxx-xxxx-xxxx"})"),
         StatusCode::bad_request);
  expect(b.call(Verb::patch, put,
                R"({"service_id": ")" + std::string(kServiceId) +
                    R"(", "parameters": {"can-not": "be-good"}})"),
         StatusCode::bad_request);
  // UPDATE - new, poll
  auto updating = b.call(Verb::patch, put, update);
  expect(updating, StatusCode::accepted);
  CHECK(std::string(body_of(updating)["operation"].GetString()) == "update");
  auto updated = b.poll(id, "update");
  expect(updated, StatusCode::ok);
  CHECK(state_of(updated) == "succeeded");
  CHECK(std::string(body_of(b.call(Verb::get, instance_path(id)))["plan_id"].GetString()) ==
        kLarge);

  // BINDING - request syntax
  const std::string bind_path = instance_path(id) + "/service_bindings/" + binding;
  check_headers(b, Verb::put, bind_path);
  for (const std::string field : {"service_id", "plan_id"}) {
    std::string body = bind_body(kLarge);
    body.replace(body.find("\"" + field + "\""), field.size() + 2, "\"x\"");
    INFO("without " << field);
    expect(b.call(Verb::put, bind_path, body), StatusCode::bad_request);
  }
  expect(b.call(Verb::put, bind_path, bind_body("xxxx-xxxx-xxxx-xxxx")), StatusCode::bad_request);
  std::string bad_bind_service = bind_body(kLarge);
  bad_bind_service.replace(bad_bind_service.find(kServiceId), std::strlen(kServiceId), "xxxx");
  expect(b.call(Verb::put, bind_path, bad_bind_service), StatusCode::bad_request);
  // BINDING - new, existed
  auto bound = b.call(Verb::put, bind_path, bind_body(kLarge));
  expect(bound, StatusCode::created);
  auto credentials = body_of(bound);
  REQUIRE(credentials.HasMember("credentials"));
  for (const char* key : {"uri", "hostname", "name", "username", "password", "jdbcUrl"}) {
    INFO(key);
    CHECK(credentials["credentials"][key].GetStringLength() > 0);
  }
  CHECK(credentials["credentials"]["port"].GetInt() == pg.port());
  auto again = b.call(Verb::put, bind_path, bind_body(kLarge));
  expect(again, StatusCode::ok);
  CHECK(std::string(body_of(again)["credentials"]["password"].GetString()) ==
        credentials["credentials"]["password"].GetString());
  expect_error(b.call(Verb::put, bind_path, bind_body(kLarge, "app-2")), StatusCode::conflict,
               "Conflict");
  expect(b.call(Verb::put, instance_path(guids.next()) + "/service_bindings/x", bind_body()),
         StatusCode::not_found);

  // RETRIEVE BINDING
  check_headers(b, Verb::get, bind_path);
  auto got = b.call(Verb::get, bind_path);
  expect(got, StatusCode::ok);
  CHECK(std::string(body_of(got)["credentials"]["uri"].GetString()) ==
        credentials["credentials"]["uri"].GetString());
  expect(b.call(Verb::get, instance_path(id) + "/service_bindings/" + guids.next()),
         StatusCode::not_found);

  // UNBINDING - delete syntax, delete
  const std::string unbind = bind_path + "?service_id=" + kServiceId + "&plan_id=" + kLarge;
  check_headers(b, Verb::delete_, unbind);
  expect(b.call(Verb::delete_, bind_path + "?plan_id=" + kLarge), StatusCode::bad_request);
  expect(b.call(Verb::delete_, bind_path + "?service_id=" + kServiceId), StatusCode::bad_request);
  auto unbound = b.call(Verb::delete_, unbind);
  expect(unbound, StatusCode::ok);
  CHECK(unbound.body() == "{}");
  expect(b.call(Verb::delete_, unbind), StatusCode::gone);

  // DEPROVISIONING - delete syntax
  const std::string del = instance_path(id) + "?service_id=" + kServiceId + "&plan_id=" + kLarge;
  check_headers(b, Verb::delete_, del + "&accepts_incomplete=true");
  expect_error(b.call(Verb::delete_, del), StatusCode::unprocessable_entity, "AsyncRequired");
  expect(b.call(Verb::delete_, instance_path(id) + "?plan_id=x&accepts_incomplete=true"),
         StatusCode::bad_request);
  expect(b.call(Verb::delete_,
                instance_path(id) + "?service_id=" + kServiceId + "&accepts_incomplete=true"),
         StatusCode::bad_request);
  // DEPROVISIONING - delete, poll
  auto deleting = b.call(Verb::delete_, del + "&accepts_incomplete=true");
  expect(deleting, StatusCode::accepted);
  CHECK(std::string(body_of(deleting)["operation"].GetString()) == "deprovision");
  check_headers(b, Verb::get, instance_path(id) + "/last_operation?operation=deprovision");
  auto deleted = b.poll(id, "deprovision");
  expect(deleted, StatusCode::ok);
  CHECK(state_of(deleted) == "succeeded");
  // Once it is gone, the instance itself is 410 Gone.
  expect(b.call(Verb::get, instance_path(id) + "/last_operation"), StatusCode::gone);
  expect(b.call(Verb::delete_, del + "&accepts_incomplete=true"), StatusCode::gone);
  expect(b.call(Verb::get, instance_path(id)), StatusCode::not_found);

  // The originating identity is logged decoded; no credential is logged at all.
  auto log = b.runner().process().output();
  CHECK(log.find(R"(cloudfoundry {\"user_id\":\"683ea748\"})") != std::string::npos);
  CHECK(log.find(credentials["credentials"]["password"].GetString()) == std::string::npos);
  CHECK(log.find(kPassword) == std::string::npos);
}

TEST_CASE("osb conformance: synchronous instances") {
  testing::NatsServer nats;
  auto& pg = target_cluster();
  BrokerProcess b(nats, pg.conninfo(pg.fresh_database("broker")), admin_conninfo(pg), false);
  RandomGuidGenerator guids;
  const std::string id = guids.next();

  expect(b.call(Verb::put, instance_path(id), provision_body()), StatusCode::created);
  expect(b.call(Verb::put, instance_path(id) + "?accepts_incomplete=true", provision_body()),
         StatusCode::ok);
  expect(b.call(Verb::put, instance_path(id), provision_body(kLarge)), StatusCode::conflict);
  auto last = b.call(Verb::get, instance_path(id) + "/last_operation");
  expect(last, StatusCode::ok);
  CHECK(state_of(last) == "succeeded");
  auto updated = b.call(
      Verb::patch, instance_path(id),
      R"({"service_id": ")" + std::string(kServiceId) + R"(", "plan_id": ")" + kMedium + R"("})");
  expect(updated, StatusCode::ok);
  CHECK(updated.body() == "{}");
  const std::string bind_path = instance_path(id) + "/service_bindings/b1";
  expect(b.call(Verb::put, bind_path, bind_body(kMedium)), StatusCode::created);
  expect(b.call(Verb::delete_, bind_path + "?service_id=" + kServiceId + "&plan_id=" + kMedium),
         StatusCode::ok);
  const std::string del = instance_path(id) + "?service_id=" + kServiceId + "&plan_id=" + kMedium;
  auto deleted = b.call(Verb::delete_, del);
  expect(deleted, StatusCode::ok);
  CHECK(deleted.body() == "{}");
  expect(b.call(Verb::delete_, del), StatusCode::gone);
  expect(b.call(Verb::get, instance_path(id) + "/last_operation"), StatusCode::gone);
}
