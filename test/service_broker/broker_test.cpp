#include "service_broker/src/broker.h"

#include <catch2/catch.hpp>

#include "service_broker/src/errors.h"
#include "service_broker/src/names.h"
#include "test/service_broker/fakes.h"

using namespace cupola;
using namespace cupola::pg_broker;
using namespace cupola::pg_broker::test;

namespace {

constexpr const char* kInstance = "inst-1";

Catalog test_catalog() { return Catalog(ServiceConfig{}, BrokerConfig::default_plans()); }

struct World {
  explicit World(bool async = true)
      : target(io),
        catalog(test_catalog()),
        sink(std::make_shared<log::MemorySink>()),
        logger(sink, clock, "pg-broker"),
        broker(io.get_executor(), BrokerOptions{.async = async},
               BrokerDeps{store, target, catalog, logger, [this]() -> Result<std::string> {
                            return "password-" + std::to_string(++passwords);
                          }}) {}

  ProvisionRequest provision_request(std::string plan = "small") const {
    ProvisionRequest r;
    r.attributes.service_id = catalog.service().id;
    r.attributes.plan_id = plan_id(plan);
    r.attributes.organization_guid = "org";
    r.attributes.space_guid = "space";
    return r;
  }
  std::string plan_id(const std::string& name) const {
    for (const auto& p : catalog.plans()) {
      if (p.name == name) return p.id;
    }
    return "";
  }
  BindingAttributes bind_request(std::string app = "app-1") const {
    return BindingAttributes{catalog.service().id, plan_id("small"), std::move(app), "{}"};
  }
  Result<Answer> provision(ProvisionRequest r, bool accepts = true) {
    return run(io, broker.provision(kInstance, std::move(r), accepts));
  }
  Result<Operation> last(std::optional<std::string> op = std::nullopt) {
    return run(io, broker.last_operation(kInstance, std::move(op)));
  }
  InstanceState state() { return store.instances.at(kInstance).state; }

  asio::io_context io;
  MemoryStore store;
  FakeTarget target;
  Catalog catalog;
  FakeClock clock;
  std::shared_ptr<log::MemorySink> sink;
  log::Logger logger;
  int passwords = 0;
  Broker broker;
};

bool has_code(const Error& e, BrokerErrc c) { return e.code == make_error_code(c); }

}  // namespace

TEST_CASE("broker: asynchronous provisioning") {
  World w;
  const std::string db = instance_database(kInstance);

  SECTION("when the platform does not accept an asynchronous answer, it is AsyncRequired") {
    auto a = w.provision(w.provision_request(), false);
    REQUIRE(!a);
    CHECK(has_code(a.error(), BrokerErrc::AsyncRequired));
    CHECK(w.store.instances.empty());
  }

  SECTION("a provision is accepted, reported in progress, and repeated requests say so") {
    w.target.hold();
    auto a = w.provision(w.provision_request());
    REQUIRE(a);
    CHECK(a->outcome == Outcome::Accepted);
    CHECK(a->operation == "provision");
    CHECK(w.broker.running() == 1);
    CHECK(w.last()->state == OperationState::InProgress);

    auto again = w.provision(w.provision_request());
    REQUIRE(again);
    CHECK(again->outcome == Outcome::Accepted);
    CHECK(again->operation == "provision");
    auto other = w.provision(w.provision_request("large"));
    REQUIRE(!other);
    CHECK(has_code(other.error(), BrokerErrc::Conflict));

    auto fetched = run(w.io, w.broker.fetch_instance(kInstance));
    REQUIRE(!fetched);
    CHECK(has_code(fetched.error(), BrokerErrc::NotFound));
    auto bound = run(w.io, w.broker.bind(kInstance, "b1", w.bind_request()));
    REQUIRE(!bound);
    CHECK(has_code(bound.error(), BrokerErrc::ConcurrencyError));
    auto deleted = run(w.io, w.broker.deprovision(kInstance, true));
    REQUIRE(!deleted);
    CHECK(has_code(deleted.error(), BrokerErrc::ConcurrencyError));

    w.target.release();
    settle(w.io);
    CHECK(w.broker.running() == 0);
    auto done = w.last("provision");
    REQUIRE(done);
    CHECK(done->state == OperationState::Succeeded);
    CHECK(w.target.databases.at(db) == 10);
    CHECK(w.state() == InstanceState::Ready);

    auto repeat = w.provision(w.provision_request());
    REQUIRE(repeat);
    CHECK(repeat->outcome == Outcome::Ok);
    auto instance = run(w.io, w.broker.fetch_instance(kInstance));
    REQUIRE(instance);
    CHECK(instance->attributes.plan_id == w.plan_id("small"));
  }

  SECTION("a failed provision reports failed, and a repeated request starts it again") {
    w.target.failures.emplace("create_database", target_failure("disk full"));
    REQUIRE(w.provision(w.provision_request()));
    settle(w.io);
    auto failed = w.last();
    REQUIRE(failed);
    CHECK(failed->state == OperationState::Failed);
    CHECK(failed->description.find("disk full") != std::string::npos);
    CHECK(w.state() == InstanceState::ProvisionFailed);
    auto bound = run(w.io, w.broker.bind(kInstance, "b1", w.bind_request()));
    REQUIRE(!bound);
    CHECK(has_code(bound.error(), BrokerErrc::InstanceNotUsable));

    w.target.failures.clear();
    auto retried = w.provision(w.provision_request());
    REQUIRE(retried);
    CHECK(retried->outcome == Outcome::Accepted);
    settle(w.io);
    CHECK(w.last()->state == OperationState::Succeeded);
    CHECK(w.target.databases.contains(db));
  }

  SECTION("an operation the store cannot record stays in progress for the next start") {
    w.store.fail_finish = make_error(Errc::Unavailable, "database down");
    REQUIRE(w.provision(w.provision_request()));
    settle(w.io);
    CHECK(w.last()->state == OperationState::InProgress);
    CHECK(w.sink->contains_message("pg-broker.provision.not-recorded"));
  }
}

TEST_CASE("broker: synchronous mode") {
  World w(false);
  const std::string db = instance_database(kInstance);

  SECTION("provision creates at once (201), then 200 for the same, 409 for different") {
    auto a = w.provision(w.provision_request("medium"), false);
    REQUIRE(a);
    CHECK(a->outcome == Outcome::Created);
    CHECK(w.target.databases.at(db) == 25);
    CHECK(w.provision(w.provision_request("medium"), true)->outcome == Outcome::Ok);
    auto other = w.provision(w.provision_request("small"));
    REQUIRE(!other);
    CHECK(has_code(other.error(), BrokerErrc::Conflict));
  }
  SECTION("a failed provision is an error now, and the instance can be deleted") {
    w.target.failures.emplace("create_database", target_failure("no space"));
    auto a = w.provision(w.provision_request());
    REQUIRE(!a);
    CHECK(has_code(a.error(), BrokerErrc::TargetFailed));
    CHECK(w.state() == InstanceState::ProvisionFailed);
    w.target.failures.clear();
    auto d = run(w.io, w.broker.deprovision(kInstance, false));
    REQUIRE(d);
    CHECK(d->outcome == Outcome::Ok);
    CHECK(w.state() == InstanceState::Deleted);
  }
}

TEST_CASE("broker: plan updates") {
  World w;
  REQUIRE(w.provision(w.provision_request()));
  settle(w.io);
  const std::string db = instance_database(kInstance);
  UpdateRequest large{w.catalog.service().id, w.plan_id("large"), std::nullopt};

  SECTION("a plan change is accepted, repeated as in progress, and changes the limit") {
    w.target.hold();
    auto a = run(w.io, w.broker.update(kInstance, large, true));
    REQUIRE(a);
    CHECK(a->outcome == Outcome::Accepted);
    CHECK(a->operation == "update");
    CHECK(run(w.io, w.broker.update(kInstance, large, true))->outcome == Outcome::Accepted);
    UpdateRequest medium{w.catalog.service().id, w.plan_id("medium"), std::nullopt};
    auto other = run(w.io, w.broker.update(kInstance, medium, true));
    REQUIRE(!other);
    CHECK(has_code(other.error(), BrokerErrc::ConcurrencyError));
    auto fetched = run(w.io, w.broker.fetch_instance(kInstance));
    REQUIRE(!fetched);
    CHECK(has_code(fetched.error(), BrokerErrc::ConcurrencyError));
    w.target.release();
    settle(w.io);
    CHECK(w.last("update")->state == OperationState::Succeeded);
    CHECK(w.target.databases.at(db) == 100);
    CHECK(w.store.instances.at(kInstance).attributes.plan_id == w.plan_id("large"));
    CHECK(w.last("provision")->state == OperationState::Succeeded);
  }
  SECTION("an update that changes nothing is done at once") {
    UpdateRequest same{w.catalog.service().id, std::nullopt, std::nullopt};
    auto a = run(w.io, w.broker.update(kInstance, same, true));
    REQUIRE(a);
    CHECK(a->outcome == Outcome::Ok);
  }
  SECTION("a failed update leaves the instance usable on its old plan") {
    w.target.failures.emplace("set_connection_limit", target_failure("refused"));
    REQUIRE(run(w.io, w.broker.update(kInstance, large, true)));
    settle(w.io);
    CHECK(w.last()->state == OperationState::Failed);
    CHECK(w.state() == InstanceState::Ready);
    CHECK(w.store.instances.at(kInstance).attributes.plan_id == w.plan_id("small"));
  }
  SECTION("an unknown instance is not found") {
    auto a = run(w.io, w.broker.update("nope", large, true));
    REQUIRE(!a);
    CHECK(has_code(a.error(), BrokerErrc::NotFound));
  }
}

TEST_CASE("broker: deprovisioning and what is left of a deleted instance") {
  World w;
  REQUIRE(w.provision(w.provision_request()));
  settle(w.io);
  REQUIRE(run(w.io, w.broker.bind(kInstance, "b1", w.bind_request())));

  w.target.hold();
  auto a = run(w.io, w.broker.deprovision(kInstance, true));
  REQUIRE(a);
  CHECK(a->outcome == Outcome::Accepted);
  CHECK(a->operation == "deprovision");
  CHECK(run(w.io, w.broker.deprovision(kInstance, true))->operation == "deprovision");
  CHECK(w.last()->state == OperationState::InProgress);
  w.target.release();
  settle(w.io);

  CHECK(w.target.databases.empty());
  CHECK(w.target.users.empty());
  CHECK(w.store.bindings.empty());
  SECTION("polling the deprovision by name reports it succeeded") {
    auto op = w.last("deprovision");
    REQUIRE(op);
    CHECK(op->state == OperationState::Succeeded);
  }
  SECTION("anything else about it is Gone") {
    CHECK(has_code(w.last().error(), BrokerErrc::Gone));
    CHECK(has_code(w.last("provision").error(), BrokerErrc::Gone));
    CHECK(has_code(run(w.io, w.broker.deprovision(kInstance, true)).error(), BrokerErrc::Gone));
    CHECK(has_code(run(w.io, w.broker.unbind(kInstance, "b1")).error(), BrokerErrc::Gone));
    CHECK(has_code(run(w.io, w.broker.fetch_instance(kInstance)).error(), BrokerErrc::NotFound));
  }
  SECTION("the id can be provisioned again") {
    auto again = w.provision(w.provision_request());
    REQUIRE(again);
    CHECK(again->outcome == Outcome::Accepted);
  }
}

TEST_CASE("broker: last_operation") {
  World w;
  SECTION("an instance never seen is not found") {
    CHECK(has_code(w.last().error(), BrokerErrc::NotFound));
  }
  SECTION("an operation name that is not one is a bad request") {
    REQUIRE(w.provision(w.provision_request()));
    CHECK(has_code(w.last("task_10").error(), BrokerErrc::BadRequest));
    CHECK(has_code(w.last("update").error(), BrokerErrc::BadRequest));
  }
}
