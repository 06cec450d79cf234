#include "service_broker/src/catalog.h"

#include "common/json/json.h"

namespace cupola::pg_broker {
namespace {

// No parameters are taken at provision, update or bind time: say so in JSON schema, so that
// platforms can reject them before asking.
void write_no_parameters(json::Writer& w) {
  w.start_object().key("parameters").start_object();
  w.field("$schema", "http://json-schema.org/draft-04/schema#");
  w.field("type", "object");
  w.field("additionalProperties", false);
  w.key("properties").start_object().end_object();
  w.end_object().end_object();
}

void write_plan(json::Writer& w, const PlanConfig& p) {
  w.start_object();
  w.field("id", p.id).field("name", p.name).field("description", p.description);
  w.field("free", p.free).field("bindable", true).field("plan_updateable", true);
  w.key("metadata").start_object();
  w.field("displayName", p.name);
  if (p.connection_limit > 0) w.field("connection_limit", p.connection_limit);
  w.key("bullets").start_array();
  w.value(p.connection_limit > 0 ? "Up to " + std::to_string(p.connection_limit) + " connections"
                                 : std::string("No connection limit"));
  w.value("A login role per binding");
  w.end_array();
  w.end_object();
  w.key("schemas").start_object();
  w.key("service_instance").start_object();
  w.key("create");
  write_no_parameters(w);
  w.key("update");
  write_no_parameters(w);
  w.end_object();
  w.key("service_binding").start_object();
  w.key("create");
  write_no_parameters(w);
  w.end_object();
  w.end_object();
  w.end_object();
}

}  // namespace

Catalog::Catalog(ServiceConfig service, std::vector<PlanConfig> plans)
    : service_(std::move(service)), plans_(std::move(plans)) {}

const PlanConfig* Catalog::find_plan(std::string_view plan_id) const {
  for (const auto& p : plans_) {
    if (p.id == plan_id) return &p;
  }
  return nullptr;
}

std::string Catalog::to_json() const {
  json::Writer w;
  w.start_object().key("services").start_array().start_object();
  w.field("id", service_.id).field("name", service_.name);
  w.field("description", service_.description);
  w.key("tags").start_array();
  for (const auto& t : service_.tags) w.value(t);
  w.end_array();
  w.field("bindable", true);
  w.field("instances_retrievable", true);
  w.field("bindings_retrievable", true);
  w.field("allow_context_updates", false);
  w.field("plan_updateable", true);
  w.key("metadata").start_object();
  w.field("displayName", "PostgreSQL");
  w.field("longDescription",
          "A database and an owner role on a shared PostgreSQL server; each binding gets its "
          "own login role");
  w.field("providerDisplayName", "Cupola");
  w.end_object();
  w.key("plans").start_array();
  for (const auto& p : plans_) write_plan(w, p);
  w.end_array();
  w.end_object().end_array().end_object();
  return w.str();
}

}  // namespace cupola::pg_broker
