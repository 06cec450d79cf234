#pragma once

// Service brokers, the offerings and plans of their catalogs, and who may see each plan, in
// ccdb. A broker's password is stored sealed (the caller seals it). A catalog is applied whole:
// offerings and plans are matched by their catalog ids, so their guids (and a plan's
// visibility) survive a refresh; what the catalog no longer lists goes.

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "cloud_controller/src/services/catalog.h"
#include "common/core/guid.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

// Migration 11.
inline constexpr const char* kBrokersSchema = R"sql(
CREATE TABLE service_brokers (
  guid text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  url text NOT NULL,
  username text NOT NULL,
  password text NOT NULL,
  space_guid text REFERENCES spaces (guid) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE service_offerings (
  guid text PRIMARY KEY,
  broker_guid text NOT NULL REFERENCES service_brokers (guid) ON DELETE CASCADE,
  broker_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  available boolean NOT NULL DEFAULT true,
  tags text NOT NULL DEFAULT '[]',
  requires text NOT NULL DEFAULT '[]',
  bindable boolean NOT NULL DEFAULT true,
  plan_updateable boolean NOT NULL DEFAULT false,
  instances_retrievable boolean NOT NULL DEFAULT false,
  bindings_retrievable boolean NOT NULL DEFAULT false,
  allow_context_updates boolean NOT NULL DEFAULT false,
  shareable boolean NOT NULL DEFAULT false,
  metadata text NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (broker_guid, broker_id)
);
CREATE TABLE service_plans (
  guid text PRIMARY KEY,
  offering_guid text NOT NULL REFERENCES service_offerings (guid) ON DELETE CASCADE,
  broker_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  free boolean NOT NULL DEFAULT true,
  bindable boolean,
  plan_updateable boolean,
  available boolean NOT NULL DEFAULT true,
  public boolean NOT NULL DEFAULT false,
  maximum_polling_duration integer,
  metadata text NOT NULL DEFAULT '{}',
  costs text NOT NULL DEFAULT '[]',
  schemas text NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (offering_guid, broker_id)
);
CREATE TABLE service_plan_visibilities (
  plan_guid text NOT NULL REFERENCES service_plans (guid) ON DELETE CASCADE,
  organization_guid text NOT NULL REFERENCES organizations (guid) ON DELETE CASCADE,
  PRIMARY KEY (plan_guid, organization_guid)
);
)sql";

struct ServiceBroker {
  std::string guid;
  std::string name;
  std::string url;
  std::string username;
  std::string password_sealed;
  std::optional<std::string> space_guid;  // a space-scoped broker's space
  std::string created_at;
  std::string updated_at;
};

struct ServiceOffering {
  std::string guid;
  std::string broker_guid, broker_name;
  std::string broker_id;  // the catalog's id
  std::string name, description;
  bool available = true;
  std::string tags_json = "[]", requires_json = "[]", metadata_json = "{}";
  bool bindable = true, plan_updateable = false, instances_retrievable = false;
  bool bindings_retrievable = false, allow_context_updates = false, shareable = false;
  std::string created_at;
  std::string updated_at;
};

struct ServicePlan {
  std::string guid;
  std::string offering_guid, offering_name, broker_guid, broker_name;
  std::string broker_id;
  std::string name, description;
  bool free = true, bindable = true, plan_updateable = false, available = true;
  std::string visibility_type = "admin";  // public, admin, organization, space
  std::optional<std::string> space_guid;  // the broker's, when space-scoped
  std::optional<int> maximum_polling_duration;
  std::string metadata_json = "{}", costs_json = "[]", schemas_json = "{}";
  std::string created_at;
  std::string updated_at;
};

struct PlanVisibility {
  std::string type;  // public, admin, organization, space
  std::vector<std::pair<std::string, std::string>> organizations;  // guid, name
};

// Runs on the pool's executor. Errors: the database's; Conflict for a taken broker name, or
// a broker whose plans instances use; NotFound for changes to missing rows.
class BrokersDb {
 public:
  // `guids` names the offerings and plans a catalog brings.
  BrokersDb(pg::Pool& pool, GuidGenerator& guids) : pool_(pool), guids_(&guids) {}

  // Filters guids, names, space_guids. Non-admins see the brokers of their spaces.
  boost::asio::awaitable<Result<Page<ServiceBroker>>> list_brokers(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServiceBroker>>> broker(Viewer viewer,
                                                                      std::string guid);
  // The broker and its catalog, in one transaction.
  boost::asio::awaitable<Result<ServiceBroker>> create_broker(ServiceBroker b,
                                                              services::Catalog catalog);
  // Name, url, credentials as given, and the catalog applied when there is one.
  boost::asio::awaitable<Result<ServiceBroker>> update_broker(
      ServiceBroker b, std::optional<services::Catalog> catalog);
  boost::asio::awaitable<Status> delete_broker(std::string guid);

  // Filters guids, names, service_broker_guids, service_broker_names, available.
  // Non-admins see offerings with a plan they may see.
  boost::asio::awaitable<Result<Page<ServiceOffering>>> list_offerings(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServiceOffering>>> offering(Viewer viewer,
                                                                          std::string guid);
  // Filters guids, names, service_offering_guids, service_offering_names,
  // service_broker_guids, service_broker_names, broker_catalog_ids, available.
  boost::asio::awaitable<Result<Page<ServicePlan>>> list_plans(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<ServicePlan>>> plan(Viewer viewer, std::string guid);
  // The plan when instances of it may be made in the space: it is public, visible to the
  // space's organization, or of a broker scoped to the space.
  boost::asio::awaitable<Result<std::optional<ServicePlan>>> plan_in_space(std::string plan_guid,
                                                                           std::string space_guid);

  boost::asio::awaitable<Result<PlanVisibility>> visibility(std::string plan_guid);
  // type "public" or "admin" clears the organizations; "organization" adds ORG_GUIDS (and
  // first removes the others unless APPEND).
  // One organization no longer sees the plan; NotFound when it did not.
  boost::asio::awaitable<Status> remove_visibility(std::string plan_guid, std::string org_guid);
  boost::asio::awaitable<Status> set_visibility(std::string plan_guid, std::string type,
                                                std::vector<std::string> org_guids, bool append);

 private:
  pg::Pool& pool_;
  GuidGenerator* guids_;
};

}  // namespace cupola::cc
