#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"
#include "service_broker/src/catalog.h"
#include "service_broker/src/model.h"

namespace cupola::pg_broker {

// The bodies of the OSB requests, decoded and checked against the catalog. Every decoder
// fails with BrokerErrc::BadRequest and a message naming the field.

struct ProvisionRequest {
  InstanceAttributes attributes;
  std::string context = "{}";
};

struct UpdateRequest {
  std::string service_id;
  std::optional<std::string> plan_id;     // absent: keep the plan
  std::optional<std::string> parameters;  // absent: keep the parameters
};

// PUT /v2/service_instances/:id: service_id, plan_id, organization_guid and space_guid are
// required; the plan must belong to the service.
Result<ProvisionRequest> parse_provision(std::string_view body, const Catalog& catalog);

// PATCH /v2/service_instances/:id: service_id is required; plan_id, when present, must be a
// plan of the service.
Result<UpdateRequest> parse_update(std::string_view body, const Catalog& catalog);

// PUT .../service_bindings/:id: service_id and plan_id are required; app_guid comes from
// bind_resource.app_guid or, failing that, the deprecated top-level app_guid.
Result<BindingAttributes> parse_bind(std::string_view body, const Catalog& catalog);

// The service_id and plan_id query parameters of a DELETE: both required, the service must
// be ours. The plan is not checked against the catalog, so that instances of a plan the
// operator has since removed can still be deleted.
Status check_delete_query(const std::optional<std::string>& service_id,
                          const std::optional<std::string>& plan_id, const Catalog& catalog);

// accepts_incomplete=true in a query.
bool accepts_incomplete(const std::optional<std::string>& value);

}  // namespace cupola::pg_broker
