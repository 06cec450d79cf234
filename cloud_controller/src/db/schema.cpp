#include "cloud_controller/src/db/schema.h"

#include "cloud_controller/src/db/brokers_db.h"
#include "cloud_controller/src/db/buildpacks_db.h"
#include "cloud_controller/src/db/services_db.h"
#include "cloud_controller/src/db/settings_db.h"

namespace cupola::cc {
namespace {

// Tenancy: organizations hold spaces; people hold roles in either. Names compare without
// case, as Cloud Foundry's do. A user row is the CC's record of a token-service user (same
// guid); the name lives with the token service.
constexpr const char* kTenancy = R"sql(
CREATE TABLE organizations (
  guid text PRIMARY KEY,
  name text NOT NULL,
  suspended boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organizations_name_idx ON organizations (lower(name));
CREATE TABLE spaces (
  guid text PRIMARY KEY,
  name text NOT NULL,
  organization_guid text NOT NULL REFERENCES organizations (guid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX spaces_org_name_idx ON spaces (organization_guid, lower(name));
CREATE TABLE cc_users (
  guid text PRIMARY KEY,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE roles (
  guid text PRIMARY KEY,
  type text NOT NULL,
  user_guid text NOT NULL REFERENCES cc_users (guid) ON DELETE CASCADE,
  organization_guid text REFERENCES organizations (guid) ON DELETE CASCADE,
  space_guid text REFERENCES spaces (guid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((organization_guid IS NULL) <> (space_guid IS NULL))
);
CREATE UNIQUE INDEX roles_org_idx ON roles (type, user_guid, organization_guid)
  WHERE organization_guid IS NOT NULL;
CREATE UNIQUE INDEX roles_space_idx ON roles (type, user_guid, space_guid)
  WHERE space_guid IS NOT NULL;
CREATE INDEX roles_user_idx ON roles (user_guid);
CREATE TABLE jobs (
  guid text PRIMARY KEY,
  operation text NOT NULL,
  state text NOT NULL,
  errors text NOT NULL DEFAULT '[]',
  warnings text NOT NULL DEFAULT '[]',
  user_guid text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
)sql";

// Apps and their processes. A new app has a web process; everything else about running it
// (packages, droplets, the bridge to Diego) comes later.
constexpr const char* kApps = R"sql(
CREATE TABLE apps (
  guid text PRIMARY KEY,
  name text NOT NULL,
  space_guid text NOT NULL REFERENCES spaces (guid) ON DELETE CASCADE,
  state text NOT NULL DEFAULT 'STOPPED',
  lifecycle text NOT NULL DEFAULT '{"type":"buildpack","data":{"buildpacks":[],"stack":"cupolafs"}}',
  environment_variables text NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX apps_space_name_idx ON apps (space_guid, lower(name));
CREATE TABLE processes (
  guid text PRIMARY KEY,
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  type text NOT NULL,
  command text,
  instances integer NOT NULL DEFAULT 1,
  memory_in_mb integer NOT NULL DEFAULT 1024,
  disk_in_mb integer NOT NULL DEFAULT 1024,
  health_check_type text NOT NULL DEFAULT 'port',
  health_check_timeout integer,
  health_check_endpoint text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_guid, type)
);
)sql";

// What running an app takes: packages (the uploaded bits), builds (staging a package) and
// droplets (what staging made), the app's current droplet, and each process's version: a new
// version is a new set of instances (a new desired LRP).
constexpr const char* kDroplets = R"sql(
CREATE TABLE packages (
  guid text PRIMARY KEY,
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  type text NOT NULL DEFAULT 'bits',
  state text NOT NULL DEFAULT 'AWAITING_UPLOAD',
  sha1 text,
  sha256 text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_app_idx ON packages (app_guid, created_at);
CREATE TABLE droplets (
  guid text PRIMARY KEY,
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  package_guid text,
  state text NOT NULL DEFAULT 'STAGING',
  error text,
  process_types text NOT NULL DEFAULT '{}',
  execution_metadata text NOT NULL DEFAULT '',
  buildpacks text NOT NULL DEFAULT '[]',
  stack text NOT NULL DEFAULT 'cupolafs',
  sha1 text,
  sha256 text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX droplets_app_idx ON droplets (app_guid, created_at);
CREATE INDEX droplets_package_idx ON droplets (package_guid);
CREATE TABLE builds (
  guid text PRIMARY KEY,
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  package_guid text NOT NULL,
  droplet_guid text,
  state text NOT NULL DEFAULT 'STAGING',
  error text,
  lifecycle text NOT NULL,
  staging_memory_in_mb integer NOT NULL,
  staging_disk_in_mb integer NOT NULL,
  created_by_guid text NOT NULL DEFAULT '',
  created_by_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX builds_app_idx ON builds (app_guid, created_at);
ALTER TABLE apps ADD COLUMN droplet_guid text;
ALTER TABLE processes ADD COLUMN version text NOT NULL DEFAULT '';
)sql";

// Domains (shared, or owned by an organization), routes in spaces, and where each route's
// traffic goes: an app's process on a port.
constexpr const char* kRoutes = R"sql(
CREATE TABLE domains (
  guid text PRIMARY KEY,
  name text NOT NULL,
  internal boolean NOT NULL DEFAULT false,
  organization_guid text REFERENCES organizations (guid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX domains_name_idx ON domains (lower(name));
CREATE TABLE routes (
  guid text PRIMARY KEY,
  host text NOT NULL DEFAULT '',
  path text NOT NULL DEFAULT '',
  domain_guid text NOT NULL REFERENCES domains (guid) ON DELETE CASCADE,
  space_guid text NOT NULL REFERENCES spaces (guid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX routes_address_idx ON routes (domain_guid, lower(host), path);
CREATE INDEX routes_space_idx ON routes (space_guid);
CREATE TABLE route_destinations (
  guid text PRIMARY KEY,
  route_guid text NOT NULL REFERENCES routes (guid) ON DELETE CASCADE,
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  process_type text NOT NULL DEFAULT 'web',
  port integer NOT NULL DEFAULT 8080,
  weight integer,
  protocol text NOT NULL DEFAULT 'http1',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (route_guid, app_guid, process_type, port)
);
CREATE INDEX route_destinations_app_idx ON route_destinations (app_guid);
)sql";

// Quotas: organization quotas (the "default" one for organizations without their own) and
// space quotas within an organization. NULL limits are unlimited.
constexpr const char* kQuotas = R"sql(
CREATE TABLE organization_quotas (
  guid text PRIMARY KEY,
  name text NOT NULL,
  total_memory_in_mb bigint,
  per_process_memory_in_mb bigint,
  total_instances bigint,
  per_app_tasks bigint,
  log_rate_limit bigint,
  paid_services_allowed boolean NOT NULL DEFAULT true,
  total_service_instances bigint,
  total_service_keys bigint,
  total_routes bigint,
  total_reserved_ports bigint,
  total_domains bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organization_quotas_name_idx ON organization_quotas (lower(name));
INSERT INTO organization_quotas (guid, name, total_memory_in_mb, total_service_instances,
                                 total_routes)
  VALUES (gen_random_uuid()::text, 'default', 10240, 100, 1000);
CREATE TABLE space_quotas (
  guid text PRIMARY KEY,
  name text NOT NULL,
  organization_guid text NOT NULL REFERENCES organizations (guid) ON DELETE CASCADE,
  total_memory_in_mb bigint,
  per_process_memory_in_mb bigint,
  total_instances bigint,
  per_app_tasks bigint,
  log_rate_limit bigint,
  paid_services_allowed boolean NOT NULL DEFAULT true,
  total_service_instances bigint,
  total_service_keys bigint,
  total_routes bigint,
  total_reserved_ports bigint,
  total_domains bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX space_quotas_name_idx ON space_quotas (organization_guid, lower(name));
ALTER TABLE organizations ADD COLUMN quota_guid text
  REFERENCES organization_quotas (guid) ON DELETE SET NULL;
ALTER TABLE spaces ADD COLUMN quota_guid text REFERENCES space_quotas (guid) ON DELETE SET NULL;
)sql";

// Audit events and app usage events. They outlive what they name, so they hold guids and
// names rather than references; seq orders events recorded in the same instant.
constexpr const char* kEvents = R"sql(
CREATE TABLE audit_events (
  seq bigserial UNIQUE,
  guid text PRIMARY KEY,
  type text NOT NULL,
  actor_guid text NOT NULL DEFAULT '',
  actor_type text NOT NULL DEFAULT 'user',
  actor_name text NOT NULL DEFAULT '',
  target_guid text NOT NULL DEFAULT '',
  target_type text NOT NULL DEFAULT '',
  target_name text NOT NULL DEFAULT '',
  data text NOT NULL DEFAULT '{}',
  space_guid text NOT NULL DEFAULT '',
  organization_guid text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX audit_events_target_idx ON audit_events (target_guid, created_at);
CREATE INDEX audit_events_space_idx ON audit_events (space_guid, created_at);
CREATE INDEX audit_events_created_idx ON audit_events (created_at);
CREATE TABLE app_usage_events (
  seq bigserial PRIMARY KEY,
  guid text NOT NULL UNIQUE,
  state text NOT NULL,
  previous_state text NOT NULL DEFAULT '',
  app_guid text NOT NULL,
  app_name text NOT NULL,
  process_guid text NOT NULL,
  process_type text NOT NULL,
  instance_count bigint NOT NULL,
  previous_instance_count bigint NOT NULL DEFAULT 0,
  memory_in_mb_per_instance bigint NOT NULL,
  previous_memory_in_mb_per_instance bigint NOT NULL DEFAULT 0,
  space_guid text NOT NULL,
  space_name text NOT NULL,
  organization_guid text NOT NULL,
  buildpack_guid text NOT NULL DEFAULT '',
  buildpack_name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
)sql";

// Service instances (user-provided ones hold their credentials, sealed) and credential
// bindings of apps to them (a copy of the credentials the app sees, sealed).
constexpr const char* kServices = R"sql(
CREATE TABLE service_instances (
  guid text PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL,
  space_guid text NOT NULL REFERENCES spaces (guid) ON DELETE CASCADE,
  credentials text NOT NULL DEFAULT '',
  syslog_drain_url text,
  route_service_url text,
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX service_instances_space_name_idx ON service_instances (space_guid, name);
CREATE TABLE service_bindings (
  guid text PRIMARY KEY,
  name text,
  type text NOT NULL DEFAULT 'app',
  app_guid text NOT NULL REFERENCES apps (guid) ON DELETE CASCADE,
  service_instance_guid text NOT NULL REFERENCES service_instances (guid) ON DELETE CASCADE,
  credentials text NOT NULL DEFAULT '',
  syslog_drain_url text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (app_guid, service_instance_guid)
);
)sql";

// How much each instance of a process may log: -1 is unlimited, as in Cloud Foundry.
constexpr const char* kLogRates = R"sql(
ALTER TABLE processes ADD COLUMN log_rate_limit bigint NOT NULL DEFAULT -1;
)sql";

}  // namespace

std::vector<pg::Migration> cc_migrations() {
  return {{1, "tenancy", kTenancy},
          {2, "apps", kApps},
          {3, "droplets", kDroplets},
          {4, "routes", kRoutes},
          {5, "settings", kSettingsSchema},
          {6, "quotas", kQuotas},
          {7, "buildpacks", kBuildpacksSchema},
          {8, "events", kEvents},
          {9, "services", kServices},
          {10, "log rates", kLogRates},
          {11, "service brokers", kBrokersSchema},
          {12, "managed services", kManagedServicesSchema}};
}

}  // namespace cupola::cc
