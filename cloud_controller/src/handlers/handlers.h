#pragma once

// The Cloud Controller's v3 API routes (and the v2 ones the cf CLI's service commands use).
// Each group adds its routes to `r`; `api` must outlive the server.

#include "cloud_controller/src/handlers/api_context.h"
#include "common/http/router.h"

namespace cupola::cc {

// GET /, /v3, /v3/info, /v2/info: no token needed.
void add_root_routes(http::Router& r, ApiContext& api);
// /v3/organizations
void add_organization_routes(http::Router& r, ApiContext& api);
// /v3/spaces
void add_space_routes(http::Router& r, ApiContext& api);
// /v3/roles
void add_role_routes(http::Router& r, ApiContext& api);
// /v3/apps and an app's environment variables
void add_app_routes(http::Router& r, ApiContext& api);
// /v3/processes, an app's processes, scaling
void add_process_routes(http::Router& r, ApiContext& api);
// /v3/packages, package uploads, /v3/resource_matches
void add_package_routes(http::Router& r, ApiContext& api);
// /v3/builds and /v3/droplets
void add_build_routes(http::Router& r, ApiContext& api);
// An app's current droplet; start, stop, restart
void add_app_lifecycle_routes(http::Router& r, ApiContext& api);
// /internal: signed links for cells and the BBS (downloads, droplet upload, staging results)
void add_internal_routes(http::Router& r, ApiContext& api);
// /v3/domains, an organization's domains, route reservations
void add_domain_routes(http::Router& r, ApiContext& api);
// /v3/routes, an app's routes, destinations, a space's unmapped routes
void add_route_routes(http::Router& r, ApiContext& api);
// POST /v3/spaces/:guid/actions/apply_manifest
void add_manifest_routes(http::Router& r, ApiContext& api);
// /v3/organization_quotas and /v3/space_quotas
void add_quota_routes(http::Router& r, ApiContext& api);
// /v3/audit_events and /v3/app_usage_events
void add_event_routes(http::Router& r, ApiContext& api);
// /v3/service_instances (user-provided) and /v3/service_credential_bindings
void add_service_routes(http::Router& r, ApiContext& api);
// /v3/service_brokers: registration and catalog refreshes
void add_service_broker_routes(http::Router& r, ApiContext& api);
// /v3/service_offerings, /v3/service_plans and plan visibility
void add_service_offering_routes(http::Router& r, ApiContext& api);
// Isolation segments and security groups: none, in Cloud Foundry's shapes (cf org, cf space)
void add_placement_routes(http::Router& r, ApiContext& api);
// /v3/users and /v3/jobs
void add_user_and_job_routes(http::Router& r, ApiContext& api);
// The v2 API the cf CLI's v2-based service commands use: services, plans, service instances,
// bindings and keys, apps and a space's summary (v2_*.cpp).
void add_v2_routes(http::Router& r, ApiContext& api);

// Every group above.
http::Router make_cc_router(ApiContext& api);

}  // namespace cupola::cc
