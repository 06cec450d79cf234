#include <catch2/catch.hpp>

#include "service_broker/src/broker.h"
#include "service_broker/src/errors.h"
#include "service_broker/src/names.h"
#include "test/service_broker/fakes.h"

using namespace cupola;
using namespace cupola::pg_broker;
using namespace cupola::pg_broker::test;

namespace {

constexpr const char* kInstance = "inst-1";

struct Fixture {
  Fixture()
      : target(io),
        catalog(ServiceConfig{}, BrokerConfig::default_plans()),
        logger(sink, clock, "pg-broker") {
    broker = make_broker();
  }
  std::unique_ptr<Broker> make_broker() {
    return std::make_unique<Broker>(
        io.get_executor(), BrokerOptions{},
        BrokerDeps{store, target, catalog, logger, [this]() -> Result<std::string> {
                     return "secret-" + std::to_string(++passwords);
                   }});
  }
  void provision() {
    ProvisionRequest r;
    r.attributes = {catalog.service().id, catalog.plans()[0].id, "org", "space", "{}"};
    REQUIRE(run(io, broker->provision(kInstance, r, true)));
    settle(io);
  }
  BindingAttributes request(std::string app = "app-1") {
    return {catalog.service().id, catalog.plans()[0].id, std::move(app), "{}"};
  }
  Result<BindAnswer> bind(std::string id, BindingAttributes r) {
    return run(io, broker->bind(kInstance, std::move(id), std::move(r)));
  }

  asio::io_context io;
  MemoryStore store;
  FakeTarget target;
  Catalog catalog;
  FakeClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  log::Logger logger;
  int passwords = 0;
  std::unique_ptr<Broker> broker;
};

bool has_code(const Error& e, BrokerErrc c) { return e.code == make_error_code(c); }

}  // namespace

TEST_CASE("broker: bindings") {
  Fixture f;
  const std::string db = instance_database(kInstance);
  const std::string user = binding_username(kInstance, "b1");

  SECTION("binding an instance that does not exist is not found") {
    auto a = f.bind("b1", f.request());
    REQUIRE(!a);
    CHECK(has_code(a.error(), BrokerErrc::NotFound));
  }

  f.provision();
  SECTION("a bind creates a login role with a new password") {
    auto a = f.bind("b1", f.request());
    REQUIRE(a);
    CHECK(a->outcome == Outcome::Created);
    CHECK(a->database == db);
    CHECK(a->binding.username == user);
    CHECK(a->binding.password == "secret-1");
    CHECK(f.target.users.at(user) == std::make_pair(db, std::string("secret-1")));
    CHECK(f.store.bindings.at({kInstance, "b1"}).state == BindingState::Ready);

    SECTION("the same request again is 200 with the same credentials") {
      auto again = f.bind("b1", f.request());
      REQUIRE(again);
      CHECK(again->outcome == Outcome::Ok);
      CHECK(again->binding.password == "secret-1");
      auto fetched = run(f.io, f.broker->fetch_binding(kInstance, "b1"));
      REQUIRE(fetched);
      CHECK(fetched->binding.password == "secret-1");
    }
    SECTION("a different request for the same id conflicts") {
      auto other = f.bind("b1", f.request("app-2"));
      REQUIRE(!other);
      CHECK(has_code(other.error(), BrokerErrc::Conflict));
    }
    SECTION("unbind drops the role; a second unbind is Gone") {
      REQUIRE(run(f.io, f.broker->unbind(kInstance, "b1")));
      CHECK(f.target.users.empty());
      CHECK(f.store.bindings.empty());
      auto again = run(f.io, f.broker->unbind(kInstance, "b1"));
      REQUIRE(!again);
      CHECK(has_code(again.error(), BrokerErrc::Gone));
      auto fetched = run(f.io, f.broker->fetch_binding(kInstance, "b1"));
      CHECK(has_code(fetched.error(), BrokerErrc::NotFound));
    }
    SECTION("an unbind the server refuses keeps the binding") {
      f.target.failures.emplace("drop_user", target_failure("busy"));
      auto a2 = run(f.io, f.broker->unbind(kInstance, "b1"));
      REQUIRE(!a2);
      CHECK(has_code(a2.error(), BrokerErrc::TargetFailed));
      CHECK(f.store.bindings.size() == 1);
    }
  }
  SECTION("a bind the server refuses leaves neither role nor record") {
    f.target.failures.emplace("create_user", target_failure("too many roles"));
    auto a = f.bind("b1", f.request());
    REQUIRE(!a);
    CHECK(has_code(a.error(), BrokerErrc::TargetFailed));
    CHECK(f.store.bindings.empty());
    CHECK(f.target.calls.back() == "drop_user");
  }
}

TEST_CASE("broker: a restart resumes what was in progress") {
  Fixture f;
  const std::string db = instance_database(kInstance);
  f.target.hold();
  ProvisionRequest r;
  r.attributes = {f.catalog.service().id, f.catalog.plans()[0].id, "org", "space", "{}"};
  REQUIRE(run(f.io, f.broker->provision(kInstance, r, true)));
  // The process dies: its io_context and everything on it go; the store keeps its rows.
  f.io.stop();
  f.broker.reset();
  asio::io_context fresh;
  FakeTarget target(fresh);
  Broker restarted(fresh.get_executor(), BrokerOptions{},
                   BrokerDeps{f.store, target, f.catalog, f.logger, {}});
  // A bind cut short before its role was made.
  Binding half;
  half.instance_id = "other";
  half.binding_id = "b9";
  half.username = binding_username("other", "b9");
  half.password = "x";
  f.store.bindings[{"other", "b9"}] = half;

  REQUIRE(run(fresh, restarted.recover()));
  settle(fresh);
  CHECK(target.databases.contains(db));
  CHECK(f.store.instances.at(kInstance).state == InstanceState::Ready);
  CHECK(f.store.operations.back().state == OperationState::Succeeded);
  CHECK(f.store.bindings.empty());
  CHECK(f.sink->contains_message("pg-broker.operation.resumed"));
  CHECK(f.sink->contains_message("pg-broker.binding.cleaned-up"));
}
