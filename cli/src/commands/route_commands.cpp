// routes, create-route, check-route, map-route, unmap-route, delete-route,
// delete-orphaned-routes: HTTP routes, named as cf names them (host.domain/path).
#include <algorithm>
#include <map>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::url_encode;

std::string route_url(const std::string& domain, const std::string& host, const std::string& path) {
  return (host.empty() ? "" : host + ".") + domain + path;
}

// --path as cf reads it: a leading '/' is added when missing.
std::string path_flag(const Parsed& p) {
  std::string path = p.value("path");
  return path.empty() || path.front() == '/' ? path : "/" + path;
}

// "for org acme / space dev as admin...", as cf's route messages say it.
std::string for_target(Session& s) {
  return "for org " + s.ui.cyan(s.config.org_name) + " / space " + s.ui.cyan(s.config.space_name) +
         " as " + s.ui.cyan(s.user()) + "...";
}

Result<json::Document> lookup_domain(Session& s, const std::string& name) {
  auto found = s.cc().list("/v3/domains?names=" + url_encode(name));
  if (!found) return std::move(found).error();
  if (found->Empty()) {
    return Error{make_error_code(Errc::NotFound), "Domain '" + name + "' not found."};
  }
  json::Document domain;
  domain.CopyFrom((*found)[0], domain.GetAllocator());
  return domain;
}

// The route of DOMAIN with exactly HOST and PATH. When there is none, an Errc::NotFound
// error in cf's words (an HTTP error has a status instead).
Result<json::Document> find_route(Session& s, const json::Value& domain, const std::string& host,
                                  const std::string& path) {
  auto found = s.cc().list("/v3/routes?domain_guids=" + str(domain, "guid") +
                           "&hosts=" + url_encode(host) + "&paths=" + url_encode(path));
  if (!found) return std::move(found).error();
  if (found->Empty()) {
    std::string d = "domain '" + str(domain, "name") + "'";
    std::string text = !host.empty() && !path.empty()
                           ? "host '" + host + "', " + d + ", and path '" + path + "'"
                       : !host.empty() ? "host '" + host + "' and " + d
                       : !path.empty() ? d + " and path '" + path + "'"
                                       : d;
    return Error{make_error_code(Errc::NotFound), "Route with " + text + " not found."};
  }
  json::Document route;
  route.CopyFrom((*found)[0], route.GetAllocator());
  return route;
}

bool route_missing(const Error& e) { return e.code == make_error_code(Errc::NotFound); }

Result<json::Document> create_route(Session& s, const json::Value& domain, const std::string& host,
                                    const std::string& path) {
  std::string body = "{";
  if (!host.empty()) body += R"("host": )" + cc::api::quote(host) + ", ";
  if (!path.empty()) body += R"("path": )" + cc::api::quote(path) + ", ";
  body += R"("relationships": {"space": {"data": {"guid": ")" + s.config.space_guid +
          R"("}}, "domain": {"data": {"guid": ")" + str(domain, "guid") + R"("}}}})";
  return s.cc().post("/v3/routes", body);
}

// ROUTE's destinations; an empty array when it has none.
const json::Value& destinations(const json::Value& route) {
  static const json::Value none(rapidjson::kArrayType);
  const json::Value* d = at(route, {"destinations"});
  return d != nullptr && d->IsArray() ? *d : none;
}

// The guid of ROUTE's first destination that is APP, or "".
std::string destination_of(const json::Value& route, const std::string& app_guid) {
  for (const auto& d : destinations(route).GetArray()) {
    const json::Value* app = at(d, {"app", "guid"});
    if (app != nullptr && app->IsString() && app->GetString() == app_guid) return str(d, "guid");
  }
  return "";
}

Result<void> delete_and_wait(Session& s, const std::string& path) { return s.cc().remove(path); }

// Names of the resources at COLLECTION ("/v3/apps") with the given guids, by guid.
Result<std::map<std::string, std::string>> names_by_guid(Session& s, const std::string& collection,
                                                         const std::vector<std::string>& guids) {
  std::map<std::string, std::string> names;
  for (std::size_t i = 0; i < guids.size(); i += 100) {
    std::string query;
    for (std::size_t j = i; j < std::min(guids.size(), i + 100); ++j) {
      query += (query.empty() ? "" : ",") + guids[j];
    }
    auto found = s.cc().list(collection + "?per_page=5000&guids=" + query);
    if (!found) return std::move(found).error();
    for (const auto& r : found->GetArray()) names[str(r, "guid")] = str(r, "name");
  }
  return names;
}

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

int run_routes(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  bool org_level = p.has("org-level");
  if (p.has("json")) {
    // Nothing but the JSON on stdout.
  } else if (org_level) {
    s.ui.say("Getting routes for org " + s.ui.cyan(s.config.org_name) + " as " +
             s.ui.cyan(s.user()) + "...\n");
  } else {
    s.ui.say("Getting routes " + for_target(s) + "\n");
  }
  auto routes = s.cc().list("/v3/routes?per_page=5000&" +
                            (org_level ? "organization_guids=" + s.config.org_guid
                                       : "space_guids=" + s.config.space_guid));
  if (!routes) return s.fail(routes.error());
  if (p.has("json")) {
    say_json(s, *routes);
    return 0;
  }
  if (routes->Empty()) {
    s.ui.say("No routes found.");
    return 0;
  }
  std::vector<std::string> space_guids, app_guids;
  auto add = [](std::vector<std::string>& to, const json::Value* guid) {
    if (guid == nullptr || !guid->IsString()) return;
    if (std::find(to.begin(), to.end(), guid->GetString()) == to.end()) {
      to.push_back(guid->GetString());
    }
  };
  for (const auto& r : routes->GetArray()) {
    add(space_guids, at(r, {"relationships", "space", "data", "guid"}));
    for (const auto& d : destinations(r).GetArray()) add(app_guids, at(d, {"app", "guid"}));
  }
  auto spaces = names_by_guid(s, "/v3/spaces", space_guids);
  if (!spaces) return s.fail(spaces.error());
  auto apps = names_by_guid(s, "/v3/apps", app_guids);
  if (!apps) return s.fail(apps.error());

  Table rows;
  for (const auto& r : routes->GetArray()) {
    std::string host = str(r, "host"), path = str(r, "path"), domain = str(r, "url"), port;
    // cf takes the domain from the url: without "host.", the path and ":port".
    if (domain.starts_with(host + ".")) domain.erase(0, host.size() + 1);
    if (!path.empty() && domain.ends_with(path)) domain.erase(domain.size() - path.size());
    if (r.HasMember("port") && r["port"].IsInt64() && r["port"].GetInt64() > 0) {
      port = std::to_string(r["port"].GetInt64());
      if (domain.ends_with(":" + port)) domain.erase(domain.size() - port.size() - 1);
    }
    std::string names;
    for (const auto& d : destinations(r).GetArray()) {
      const json::Value* app = at(d, {"app", "guid"});
      std::string guid = app != nullptr && app->IsString() ? app->GetString() : "";
      names += (names.empty() ? "" : ", ") + (*apps)[guid];
    }
    const json::Value* space = at(r, {"relationships", "space", "data", "guid"});
    std::string space_name =
        space != nullptr && space->IsString() ? (*spaces)[space->GetString()] : "";
    rows.push_back({space_name, host, domain, port, path, str(r, "protocol"), names});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return lower(a[0]) < lower(b[0]); });
  rows.insert(rows.begin(), std::vector<std::string>{"space", "host", "domain", "port", "path",
                                                     "protocol", "apps"});
  s.ui.table(rows);
  return 0;
}

int run_create_route(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  std::string host = p.value("hostname"), path = path_flag(p);
  s.ui.say("Creating route " + s.ui.cyan(route_url(p.arg(0), host, path)) + " " + for_target(s));
  auto domain = lookup_domain(s, p.arg(0));
  if (!domain) return s.fail(domain.error());
  auto made = create_route(s, *domain, host, path);
  if (!made) {
    if (cc::api::status_of(made.error()) == 422 &&
        made.error().message.find("Route already exists") != std::string::npos) {
      s.ui.warn(made.error().message);
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  s.ui.say("Route " + str(*made, "url") + " has been created.");
  s.ui.ok();
  return 0;
}

int run_check_route(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  std::string host = p.value("hostname"), path = path_flag(p);
  s.ui.say("Checking for route...");
  auto domain = lookup_domain(s, p.arg(0));
  if (!domain) return s.fail(domain.error());
  std::string query;
  if (!host.empty()) query += "&host=" + url_encode(host);
  if (!path.empty()) query += "&path=" + url_encode(path);
  if (!query.empty()) query[0] = '?';
  auto answer = s.cc().get("/v3/domains/" + str(*domain, "guid") + "/route_reservations" + query);
  if (!answer) return s.fail(answer.error());
  const json::Value* matching = at(*answer, {"matching_route"});
  bool exists = matching != nullptr && matching->IsBool() && matching->GetBool();
  s.ui.say("Route '" + route_url(p.arg(0), host, path) + "' does " + (exists ? "" : "not ") +
           "exist.");
  s.ui.ok();
  return 0;
}

int run_map_route(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  std::string host = p.value("hostname"), path = path_flag(p);
  auto domain = lookup_domain(s, p.arg(1));
  if (!domain) return s.fail(domain.error());
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto route = find_route(s, *domain, host, path);
  if (!route && !route_missing(route.error())) return s.fail(route.error());
  if (!route) {
    s.ui.say("Creating route " + s.ui.cyan(route_url(str(*domain, "name"), host, path)) + " " +
             for_target(s));
    route = create_route(s, *domain, host, path);
    if (!route) return s.fail(route.error());
    s.ui.ok();
  }
  std::string url = str(*route, "url");
  s.ui.say("Mapping route " + s.ui.cyan(url) + " to app " + s.ui.cyan(p.arg(0)) + " " +
           in_target(s));
  std::string app_guid = str(*app, "guid");
  if (!destination_of(*route, app_guid).empty()) {
    s.ui.say("App '" + p.arg(0) + "' is already mapped to route '" + url + "'.");
    s.ui.ok();
    return 0;
  }
  auto mapped = s.cc().post("/v3/routes/" + str(*route, "guid") + "/destinations",
                            R"({"destinations": [{"app": {"guid": ")" + app_guid + R"("}}]})");
  if (!mapped) return s.fail(mapped.error());
  s.ui.ok();
  return 0;
}

int run_unmap_route(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  std::string host = p.value("hostname"), path = path_flag(p);
  auto domain = lookup_domain(s, p.arg(1));
  if (!domain) return s.fail(domain.error());
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto route = find_route(s, *domain, host, path);
  if (!route) return s.fail(route.error());
  s.ui.say("Removing route " + s.ui.cyan(route_url(str(*domain, "name"), host, path)) +
           " from app " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  std::string destination = destination_of(*route, str(*app, "guid"));
  if (destination.empty()) {
    s.ui.say("Route to be unmapped is not currently mapped to the application.");
    s.ui.ok();
    return 0;
  }
  auto gone =
      s.cc().call("DELETE", "/v3/routes/" + str(*route, "guid") + "/destinations/" + destination);
  if (!gone) return s.fail(gone.error());
  s.ui.ok();
  return 0;
}

int run_delete_route(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  std::string host = p.value("hostname"), path = path_flag(p);
  std::string url = route_url(p.arg(0), host, path);
  s.ui.say("This action impacts all apps using this route.");
  s.ui.say("Deleting this route will make apps unreachable via this route.");
  if (!confirmed(s, p, "Really delete the route " + url + "?")) {
    s.ui.say("'" + url + "' has not been deleted.");
    return 0;
  }
  s.ui.say("Deleting route " + s.ui.cyan(url) + "...");
  auto domain = lookup_domain(s, p.arg(0));
  if (!domain && route_missing(domain.error())) {
    s.ui.warn(domain.error().message);
    s.ui.ok();
    return 0;
  }
  if (!domain) return s.fail(domain.error());
  auto route = find_route(s, *domain, host, path);
  if (!route && route_missing(route.error())) {
    s.ui.say("Unable to delete. " + route.error().message);
    s.ui.ok();
    return 0;
  }
  if (!route) return s.fail(route.error());
  if (auto gone = delete_and_wait(s, "/v3/routes/" + str(*route, "guid")); !gone) {
    return s.fail(gone.error());
  }
  s.ui.ok();
  return 0;
}

int run_delete_orphaned_routes(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!confirmed(s, p, "Really delete orphaned routes?")) {
    s.ui.say("Routes have not been deleted.");
    return 0;
  }
  s.ui.say("Deleting orphaned routes as " + s.ui.cyan(s.user()) + "...");
  if (auto gone = delete_and_wait(s, "/v3/spaces/" + s.config.space_guid + "/routes?unmapped=true");
      !gone) {
    return s.fail(gone.error());
  }
  s.ui.ok();
  return 0;
}

}  // namespace

void add_route_commands(std::vector<Command>& out) {
  const FlagSpec path{"path", 0, "PATH", "Path for the HTTP route"};
  const FlagSpec path_used{"path", 0, "PATH", "Path used to identify the HTTP route"};
  const FlagSpec host{"hostname", 'n', "HOSTNAME",
                      "Hostname for the HTTP route (required for shared domains)"};
  const FlagSpec host_used{"hostname", 'n', "HOSTNAME", "Hostname used to identify the HTTP route"};
  const FlagSpec force{"f", 'f', "", "Force deletion without confirmation"};
  out.push_back({{.name = "routes",
                  .aliases = {"r"},
                  .summary = "List all routes in the current space or the current organization",
                  .usage = "cupola routes [--org-level] [--json]",
                  .flags = {{"org-level", 0, "",
                             "List all the routes for all spaces of current organization"},
                            kJsonFlag}},
                 run_routes});
  out.push_back({{.name = "create-route",
                  .summary = "Create a route for later use",
                  .usage = "cupola create-route DOMAIN [--hostname HOSTNAME] [--path PATH]",
                  .required_args = {"DOMAIN"},
                  .flags = {host, path},
                  .examples = "   cupola create-route example.com --hostname myapp            "
                              "# myapp.example.com\n"
                              "   cupola create-route example.com --hostname myapp --path foo "
                              "# myapp.example.com/foo\n"},
                 run_create_route});
  out.push_back({{.name = "check-route",
                  .summary = "Perform a check to determine whether a route currently exists or not",
                  .usage = "cupola check-route DOMAIN [--hostname HOSTNAME] [--path PATH]",
                  .required_args = {"DOMAIN"},
                  .flags = {host_used, path_used}},
                 run_check_route});
  out.push_back({{.name = "map-route",
                  .summary = "Map a route to an app",
                  .usage = "cupola map-route APP_NAME DOMAIN [--hostname HOSTNAME] [--path PATH]",
                  .required_args = {"APP_NAME", "DOMAIN"},
                  .flags = {host, path},
                  .examples = "   cupola map-route my-app example.com --hostname myhost            "
                              "# myhost.example.com\n"
                              "   cupola map-route my-app example.com --hostname myhost --path foo "
                              "# myhost.example.com/foo\n"},
                 run_map_route});
  out.push_back({{.name = "unmap-route",
                  .summary = "Remove a route from an app",
                  .usage = "cupola unmap-route APP_NAME DOMAIN [--hostname HOSTNAME] [--path PATH]",
                  .required_args = {"APP_NAME", "DOMAIN"},
                  .flags = {host_used, path_used}},
                 run_unmap_route});
  out.push_back({{.name = "delete-route",
                  .summary = "Delete a route",
                  .usage = "cupola delete-route DOMAIN [--hostname HOSTNAME] [--path PATH] [-f]",
                  .required_args = {"DOMAIN"},
                  .flags = {force,
                            {"hostname", 'n', "HOSTNAME",
                             "Hostname used to identify the HTTP route (required for shared "
                             "domains)"},
                            path_used}},
                 run_delete_route});
  out.push_back({{.name = "delete-orphaned-routes",
                  .summary = "Delete all orphaned routes in the currently targeted space (i.e. "
                             "those that are not mapped to an app or service instance)",
                  .usage = "cupola delete-orphaned-routes [-f]",
                  .flags = {force}},
                 run_delete_orphaned_routes});
}

}  // namespace cupola::cli
