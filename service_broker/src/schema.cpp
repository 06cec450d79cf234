#include "service_broker/src/schema.h"

namespace cupola::pg_broker {
namespace {

// One row per instance id ever provisioned; deleted instances stay as tombstones (state
// 'deleted') so that last_operation can still answer for them. JSON columns hold compact
// objects.
constexpr const char* kInstances = R"sql(
CREATE TABLE service_instances (
  instance_id text COLLATE "C" PRIMARY KEY,
  service_id text NOT NULL,
  plan_id text NOT NULL,
  organization_guid text NOT NULL,
  space_guid text NOT NULL,
  parameters text NOT NULL DEFAULT '{}',
  context text NOT NULL DEFAULT '{}',
  state text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
)sql";

// Provision, update and deprovision operations; plan_id and parameters are what a provision
// or update makes the instance.
constexpr const char* kOperations = R"sql(
CREATE TABLE operations (
  id bigserial PRIMARY KEY,
  instance_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  state text NOT NULL,
  description text NOT NULL DEFAULT '',
  plan_id text NOT NULL DEFAULT '',
  parameters text NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX operations_instance_idx ON operations (instance_id, id);
CREATE INDEX operations_in_progress_idx ON operations (state) WHERE state = 'in progress';
)sql";

// The password is what the binding's credentials hand out; the broker needs it to answer a
// repeated bind and GET of the binding.
constexpr const char* kBindings = R"sql(
CREATE TABLE service_bindings (
  instance_id text COLLATE "C" NOT NULL,
  binding_id text COLLATE "C" NOT NULL,
  service_id text NOT NULL,
  plan_id text NOT NULL,
  app_guid text NOT NULL DEFAULT '',
  parameters text NOT NULL DEFAULT '{}',
  state text NOT NULL,
  username text NOT NULL,
  password text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (instance_id, binding_id)
);
)sql";

}  // namespace

std::vector<pg::Migration> broker_migrations() {
  return {
      {1, "create service_instances", kInstances},
      {2, "create operations", kOperations},
      {3, "create service_bindings", kBindings},
  };
}

}  // namespace cupola::pg_broker
