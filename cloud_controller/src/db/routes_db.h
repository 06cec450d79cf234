#pragma once

// Domains, routes and route destinations in ccdb. A shared domain (no organization) is seen
// by everyone; a private one by those who see its organization. Routes are seen by those
// who see their space.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

struct Domain {
  std::string guid;
  std::string name;
  bool internal = false;
  std::optional<std::string> organization_guid;  // none: shared
  std::string created_at;
  std::string updated_at;
};

struct Destination {
  std::string guid;
  std::string app_guid;
  std::string process_type = "web";
  std::int64_t port = 8080;
  std::optional<std::int64_t> weight;
  std::string protocol = "http1";
};

struct Route {
  std::string guid;
  std::string host;
  std::string path;  // "" or "/x"
  std::string domain_guid;
  std::string domain_name;
  std::string space_guid;
  std::vector<Destination> destinations;
  std::string created_at;
  std::string updated_at;
  // "host.domain/path", as Cloud Foundry shows it.
  std::string url() const { return (host.empty() ? domain_name : host + "." + domain_name) + path; }
};

// Runs on the pool's executor. Errors: the database's; Conflict for a taken name or route
// (the message says which); NotFound for changes to missing rows.
class RoutesDb {
 public:
  explicit RoutesDb(pg::Pool& pool) : pool_(pool) {}

  // Filters names, guids, organization_guids (owned by). With `for_org`, the domains that
  // organization may use: shared ones and its own.
  boost::asio::awaitable<Result<Page<Domain>>> list_domains(
      Viewer viewer, ListQuery q, std::optional<std::string> for_org = {});
  boost::asio::awaitable<Result<std::optional<Domain>>> domain(Viewer viewer, std::string guid);
  boost::asio::awaitable<Result<Domain>> create_domain(Domain d);
  // Creates the shared domain `name` unless a domain of that name exists.
  boost::asio::awaitable<Status> ensure_shared_domain(std::string guid, std::string name);
  // Fails with Conflict while routes use it.
  boost::asio::awaitable<Status> delete_domain(std::string guid);

  // Filters guids, hosts, paths, domain_guids, space_guids, organization_guids, app_guids.
  boost::asio::awaitable<Result<Page<Route>>> list_routes(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Route>>> route(Viewer viewer, std::string guid);
  boost::asio::awaitable<Result<Route>> create_route(Route r);
  boost::asio::awaitable<Status> delete_route(std::string guid);
  // Deletes the space's routes without destinations; how many went.
  boost::asio::awaitable<Result<std::int64_t>> delete_unmapped_routes(std::string space_guid);
  // Whether a route with this address exists (anywhere).
  boost::asio::awaitable<Result<bool>> route_exists(std::string domain_guid, std::string host,
                                                    std::string path);

  // Adds destinations (an existing app/process/port pair is kept); with `replace`, the
  // route's destinations become exactly these. The route's apps, before and after, are
  // returned so that their instances can follow.
  boost::asio::awaitable<Result<std::vector<std::string>>> set_destinations(
      std::string route_guid, std::vector<Destination> destinations, bool replace);
  // Removes one destination; NotFound when the route has no such destination. Returns its app.
  boost::asio::awaitable<Result<std::string>> remove_destination(std::string route_guid,
                                                                 std::string destination_guid);
  // Removes every destination of `app_guid` (an app's routes unmapped); returns how many.
  boost::asio::awaitable<Result<std::int64_t>> unmap_app(std::string app_guid);

  // The URLs routed to each process of the given apps: "<app guid>/<process type>" → urls.
  boost::asio::awaitable<Result<std::map<std::string, std::vector<std::string>>>> process_urls(
      std::vector<std::string> app_guids);

 private:
  boost::asio::awaitable<Status> load_destinations(std::vector<Route>& routes);

  pg::Pool& pool_;
};

}  // namespace cupola::cc
