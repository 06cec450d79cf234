#pragma once

// A service broker's catalog (OSB `GET /v2/catalog`), read and checked as Cloud Foundry
// checks it before it takes a broker: every service and plan needs an id, a name and a
// description; ids are unique in the catalog; names are unique per broker and per service.
// Pure: text in, data or the list of problems out.

#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace cupola::cc::services {

struct CatalogPlan {
  std::string id, name, description;
  bool free = true;
  int bindable = -1;                 // -1: as the service says; 0 or 1
  int plan_updateable = -1;          // likewise
  int maximum_polling_duration = 0;  // seconds; 0: none given
  std::string metadata_json = "{}";
  std::string costs_json = "[]";  // metadata.costs, as Cloud Foundry lists them
  std::string schemas_json = "{}";
};

struct CatalogService {
  std::string id, name, description;
  bool bindable = false;
  bool plan_updateable = false;
  bool instances_retrievable = false;
  bool bindings_retrievable = false;
  bool allow_context_updates = false;
  bool shareable = false;  // metadata.shareable
  std::string tags_json = "[]";
  std::string requires_json = "[]";
  std::string metadata_json = "{}";
  std::vector<CatalogPlan> plans;
};

struct Catalog {
  std::vector<CatalogService> services;
};

// Limits: 4 MiB of JSON, 500 services, 500 plans per service.
inline constexpr std::size_t kMaxCatalogBytes = 4 * 1024 * 1024;

// Errors: InvalidArgument whose message lists every problem, after Cloud Foundry's
// "Service broker catalog is invalid: ..." heading.
Result<Catalog> parse_catalog(std::string_view json);

}  // namespace cupola::cc::services
