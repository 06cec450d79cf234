#include "service_broker/src/decisions.h"

#include <catch2/catch.hpp>

using namespace cupola::pg_broker;

namespace {

InstanceAttributes attrs(std::string plan = "small", std::string params = "{}") {
  return {"svc", std::move(plan), "org", "space", std::move(params)};
}

Instance in(InstanceState s) {
  Instance i;
  i.id = "i";
  i.attributes = attrs();
  i.state = s;
  return i;
}

}  // namespace

TEST_CASE("provision decisions") {
  using S = InstanceState;
  CHECK(decide_provision(std::nullopt, attrs()).verdict == Verdict::Start);
  CHECK(decide_provision(in(S::Deleted), attrs("large")).verdict == Verdict::Start);
  CHECK(decide_provision(in(S::Provisioning), attrs()).verdict == Verdict::InProgress);
  CHECK(decide_provision(in(S::Provisioning), attrs("large")).verdict == Verdict::Conflict);
  CHECK(decide_provision(in(S::Ready), attrs()).verdict == Verdict::Done);
  CHECK(decide_provision(in(S::Updating), attrs()).verdict == Verdict::Done);
  CHECK(decide_provision(in(S::ProvisionFailed), attrs()).verdict == Verdict::Start);
  CHECK(decide_provision(in(S::Deprovisioning), attrs()).verdict == Verdict::Busy);
  SECTION("parameters compare as JSON, whatever the member order") {
    auto i = in(S::Ready);
    i.attributes.parameters = R"({"a":1,"b":2})";
    CHECK(decide_provision(i, attrs("small", R"({"b": 2, "a": 1})")).verdict == Verdict::Done);
    CHECK(decide_provision(i, attrs("small", R"({"a": 1})")).verdict == Verdict::Conflict);
  }
}

TEST_CASE("update, deprovision and bind decisions") {
  using S = InstanceState;
  UpdateRequest large{"svc", std::string("large"), std::nullopt};
  CHECK(decide_update(std::nullopt, large, std::nullopt).verdict == Verdict::NotFound);
  CHECK(decide_update(in(S::Ready), large, std::nullopt).verdict == Verdict::Start);
  CHECK(decide_update(in(S::Ready), UpdateRequest{"other", {}, {}}, std::nullopt).verdict ==
        Verdict::BadRequest);
  CHECK(decide_update(in(S::Provisioning), large, std::nullopt).verdict == Verdict::Busy);
  Operation running;
  running.kind = OperationKind::Update;
  running.plan_id = "large";
  CHECK(decide_update(in(S::Updating), large, running).verdict == Verdict::InProgress);
  running.plan_id = "medium";
  CHECK(decide_update(in(S::Updating), large, running).verdict == Verdict::Busy);
  CHECK(updated_attributes(in(S::Ready), large).plan_id == "large");
  CHECK(updated_attributes(in(S::Ready), UpdateRequest{"svc", {}, {}}).plan_id == "small");

  CHECK(decide_deprovision(std::nullopt).verdict == Verdict::Gone);
  CHECK(decide_deprovision(in(S::Deleted)).verdict == Verdict::Gone);
  CHECK(decide_deprovision(in(S::Deprovisioning)).verdict == Verdict::InProgress);
  CHECK(decide_deprovision(in(S::Updating)).verdict == Verdict::Busy);
  CHECK(decide_deprovision(in(S::DeprovisionFailed)).verdict == Verdict::Start);

  BindingAttributes b{"svc", "small", "app", "{}"};
  Binding existing;
  existing.attributes = b;
  existing.state = BindingState::Ready;
  CHECK(decide_bind(in(S::Provisioning), std::nullopt, b).verdict == Verdict::Busy);
  CHECK(decide_bind(in(S::Ready), std::nullopt, b).verdict == Verdict::Start);
  CHECK(decide_bind(in(S::Updating), existing, b).verdict == Verdict::Done);
  CHECK(decide_bind(in(S::Ready), existing, BindingAttributes{"svc", "small", "x", "{}"}).verdict ==
        Verdict::Conflict);
  existing.state = BindingState::Creating;
  CHECK(decide_bind(in(S::Ready), existing, b).verdict == Verdict::Busy);
  CHECK(decide_unbind(in(S::Ready), std::nullopt).verdict == Verdict::Gone);
  CHECK(decide_fetch_binding(in(S::Ready), existing).verdict == Verdict::NotFound);
}

TEST_CASE("last_operation decisions") {
  using S = InstanceState;
  Operation op;
  op.kind = OperationKind::Deprovision;
  CHECK(decide_last_operation(std::nullopt, std::nullopt, std::nullopt).verdict ==
        Verdict::NotFound);
  CHECK(decide_last_operation(in(S::Ready), std::string("task_10"), std::nullopt).verdict ==
        Verdict::BadRequest);
  CHECK(decide_last_operation(in(S::Deleted), std::string("deprovision"), op).verdict ==
        Verdict::Start);
  CHECK(decide_last_operation(in(S::Deleted), std::nullopt, op).verdict == Verdict::Gone);
  CHECK(decide_last_operation(in(S::Ready), std::nullopt, op).verdict == Verdict::Start);
  CHECK(decide_last_operation(in(S::Ready), std::string("update"), std::nullopt).verdict ==
        Verdict::BadRequest);
}
