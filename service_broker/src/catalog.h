#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "service_broker/src/config.h"

namespace cupola::pg_broker {

// The service offering and its plans, as configured. Immutable once built.
class Catalog {
 public:
  Catalog(ServiceConfig service, std::vector<PlanConfig> plans);

  const ServiceConfig& service() const { return service_; }
  const std::vector<PlanConfig>& plans() const { return plans_; }
  // The plan with this id, or nullptr.
  const PlanConfig* find_plan(std::string_view plan_id) const;
  bool is_service(std::string_view service_id) const { return service_id == service_.id; }

  // The body of GET /v2/catalog (OSB v2.17): one bindable, plan-updateable service whose
  // instances and bindings are retrievable; each plan publishes a parameter schema that
  // accepts no parameters.
  std::string to_json() const;

 private:
  ServiceConfig service_;
  std::vector<PlanConfig> plans_;
};

}  // namespace cupola::pg_broker
