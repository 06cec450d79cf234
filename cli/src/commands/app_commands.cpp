// apps, app, start, stop, restart, restage, scale, delete, rename.
#include <algorithm>
#include <map>

#include "cli/src/commands/app_flow.h"
#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct ProcessCount {
  std::string type;
  int running = 0, desired = 0;
};

int run_apps(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  const bool as_json = p.has("json");
  if (!as_json) s.ui.say("Getting apps " + in_target(s) + "\n");
  auto apps =
      s.cc().list("/v3/apps?order_by=name&per_page=5000&space_guids=" + s.config.space_guid);
  if (!apps) return s.fail(apps.error());
  if (apps->Empty() && !as_json) {
    s.ui.say("No apps found");
    return 0;
  }
  auto processes = s.cc().list("/v3/processes?per_page=5000&space_guids=" + s.config.space_guid);
  if (!processes) return s.fail(processes.error());
  auto routes = s.cc().list("/v3/routes?per_page=5000&space_guids=" + s.config.space_guid);
  if (!routes) return s.fail(routes.error());
  std::map<std::string, std::vector<ProcessCount>> procs_of;
  std::map<std::string, std::vector<std::string>> routes_of;
  for (const auto& proc : processes->GetArray()) {
    const json::Value* app = at(proc, {"relationships", "app", "data", "guid"});
    if (app == nullptr || !app->IsString()) continue;
    ProcessCount c{str(proc, "type"), 0, proc["instances"].GetInt()};
    if (c.desired > 0) {
      auto stats = s.cc().get("/v3/processes/" + str(proc, "guid") + "/stats");
      if (stats) {
        for (const auto& i : (*stats)["resources"].GetArray()) {
          c.running += str(i, "state") == "RUNNING" ? 1 : 0;
        }
      }
    }
    procs_of[app->GetString()].push_back(c);
  }
  for (const auto& r : routes->GetArray()) {
    const json::Value* dests = at(r, {"destinations"});
    if (dests == nullptr || !dests->IsArray()) continue;
    for (const auto& d : dests->GetArray()) {
      const json::Value* app = at(d, {"app", "guid"});
      if (app == nullptr || !app->IsString()) continue;
      auto& urls = routes_of[app->GetString()];
      if (std::find(urls.begin(), urls.end(), str(r, "url")) == urls.end()) {
        urls.push_back(str(r, "url"));
      }
    }
  }
  if (as_json) {
    json::Writer w;
    w.start_array();
    for (const auto& a : apps->GetArray()) {
      std::string guid = str(a, "guid");
      w.start_object().key("name").value(str(a, "name")).key("guid").value(guid);
      w.key("state").value(str(a, "state")).key("processes").start_array();
      for (const auto& c : procs_of[guid]) {
        w.start_object().key("type").value(c.type).key("instances").value(c.desired);
        w.key("running").value(c.running).end_object();
      }
      w.end_array().key("routes").start_array();
      for (const auto& url : routes_of[guid]) w.value(url);
      w.end_array().end_object();
    }
    w.end_array();
    s.ui.say(w.str());
    return 0;
  }
  Table rows = {{"name", "requested state", "processes", "routes"}};
  for (const auto& a : apps->GetArray()) {
    std::string guid = str(a, "guid");
    std::string procs, urls;
    for (const auto& c : procs_of[guid]) {
      procs += (procs.empty() ? "" : ", ") + c.type + ":" + std::to_string(c.running) + "/" +
               std::to_string(c.desired);
    }
    for (const auto& url : routes_of[guid]) urls += (urls.empty() ? "" : ", ") + url;
    rows.push_back({str(a, "name"), lower(str(a, "state")), procs, urls});
  }
  s.ui.table(rows);
  return 0;
}

// `app --json`: the app, each process with its instances' stats, and the route URLs.
Result<std::string> app_json(Session& s, const json::Value& app) {
  std::string guid = str(app, "guid");
  auto processes = s.cc().list("/v3/apps/" + guid + "/processes");
  if (!processes) return std::move(processes).error();
  auto routes = s.cc().list("/v3/apps/" + guid + "/routes");
  if (!routes) return std::move(routes).error();
  json::Writer w;
  w.start_object().key("app").value(app).key("processes").start_array();
  for (const auto& proc : processes->GetArray()) {
    auto stats = s.cc().get("/v3/processes/" + str(proc, "guid") + "/stats");
    if (!stats) return std::move(stats).error();
    w.start_object().key("process").value(proc).key("instances").value((*stats)["resources"]);
    w.end_object();
  }
  w.end_array().key("routes").start_array();
  for (const auto& r : routes->GetArray()) w.value(str(r, "url"));
  w.end_array().end_object();
  return w.str();
}

int run_app(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (p.has("guid")) {
    auto app = lookup_app(s, p.arg(0));
    if (!app) return s.fail(app.error());
    s.ui.say(str(*app, "guid"));
    return 0;
  }
  if (p.has("json")) {
    auto app = lookup_app(s, p.arg(0));
    if (!app) return s.fail(app.error());
    auto detail = app_json(s, *app);
    if (!detail) return s.fail(detail.error());
    s.ui.say(*detail);
    return 0;
  }
  s.ui.say("Showing health and status for app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  if (auto shown = show_app_summary(s, str(*app, "guid")); !shown) return s.fail(shown.error());
  return 0;
}

// Stages the newest package when it has no droplet yet (cf's start and restart do too).
Result<void> stage_if_needed(Session& s, const json::Value& app) {
  std::string guid = str(app, "guid");
  auto package = newest_ready_package(s, guid);
  if (!package) return std::move(package).error();
  if (!*package) return {};
  auto droplets = s.cc().get("/v3/packages/" + **package + "/droplets?states=STAGED&per_page=1");
  if (!droplets) return std::move(droplets).error();
  if (!(*droplets)["resources"].Empty()) return {};
  auto droplet = stage_package(s, guid, str(app, "name"), **package);
  if (!droplet) return std::move(droplet).error();
  auto set = s.cc().patch("/v3/apps/" + guid + "/relationships/current_droplet",
                          R"({"data": {"guid": ")" + *droplet + R"("}})");
  if (!set) return std::move(set).error();
  return {};
}

int start_and_show(Session& s, const json::Value& app, const char* action) {
  std::string guid = str(app, "guid");
  auto started = s.cc().post("/v3/apps/" + guid + "/actions/" + action, "");
  if (!started) return s.fail(started.error());
  if (auto waited = wait_for_instances(s, guid, str(app, "name")); !waited) {
    return s.fail(waited.error());
  }
  if (auto shown = show_app_summary(s, guid); !shown) return s.fail(shown.error());
  return 0;
}

int run_start(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  if (str(*app, "state") == "STARTED") {
    s.ui.say("App '" + p.arg(0) + "' is already started.");
    s.ui.ok();
    return 0;
  }
  s.ui.say("Starting app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  if (auto staged = stage_if_needed(s, *app); !staged) return s.fail(staged.error());
  return start_and_show(s, *app, "start");
}

int run_stop(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  if (str(*app, "state") == "STOPPED") {
    s.ui.say("App '" + p.arg(0) + "' is already stopped.");
    s.ui.ok();
    return 0;
  }
  s.ui.say("Stopping app " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  auto stopped = s.cc().post("/v3/apps/" + str(*app, "guid") + "/actions/stop", "");
  if (!stopped) return s.fail(stopped.error());
  s.ui.ok();
  return 0;
}

int run_restart(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  s.ui.say("Restarting app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  if (auto staged = stage_if_needed(s, *app); !staged) return s.fail(staged.error());
  if (str(*app, "state") == "STARTED") s.ui.say("Stopping app...\n");
  return start_and_show(s, *app, "restart");
}

int run_restage(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  std::string guid = str(*app, "guid");
  s.ui.say("Restaging app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  auto package = newest_ready_package(s, guid);
  if (!package) return s.fail(package.error());
  if (!*package) {
    return s.fail("App '" + p.arg(0) +
                  "' has no package to stage: push it first with 'cupola push " + p.arg(0) + "'");
  }
  auto droplet = stage_package(s, guid, p.arg(0), **package);
  if (!droplet) return s.fail(droplet.error());
  auto set = s.cc().patch("/v3/apps/" + guid + "/relationships/current_droplet",
                          R"({"data": {"guid": ")" + *droplet + R"("}})");
  if (!set) return s.fail(set.error());
  return start_and_show(s, *app, "restart");
}

int run_scale(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  std::string guid = str(*app, "guid");
  if (!p.has("i") && !p.has("m") && !p.has("k")) {
    s.ui.say("Showing current scale of app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
    if (auto shown = show_app_summary(s, guid); !shown) return s.fail(shown.error());
    return 0;
  }
  auto megabytes = [](const std::string& size) -> long long {
    if (size.empty()) return -1;
    std::size_t used = 0;
    long long n = std::stoll(size, &used);
    std::string unit = size.substr(used);
    for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (unit == "G" || unit == "GB") return n * 1024;
    if (unit == "M" || unit == "MB") return n;
    return -1;
  };
  std::string body = "{";
  auto add = [&body](const std::string& field, long long v) {
    body += (body.size() > 1 ? ", \"" : "\"") + field + "\": " + std::to_string(v);
  };
  if (p.has("i")) add("instances", std::stoll(p.value("i")));
  for (const auto& [flag, field] : {std::pair{"m", "memory_in_mb"}, std::pair{"k", "disk_in_mb"}}) {
    if (!p.has(flag)) continue;
    long long mb = -1;
    try {
      mb = megabytes(p.value(flag));
    } catch (const std::exception&) {
    }
    if (mb <= 0) {
      return s.fail("Incorrect Usage: invalid argument for flag `-" + std::string(flag) +
                    "': Byte quantity must be an integer with a unit of measurement like M, MB, G, "
                    "or GB");
    }
    add(field, mb);
  }
  body += "}";
  bool restarts = p.has("m") || p.has("k");
  if (restarts && !confirmed(s, p,
                             "This will cause the app to restart. Are you sure you want to "
                             "scale " +
                                 p.arg(0) + "?")) {
    s.ui.say("Scaling cancelled");
    return 0;
  }
  s.ui.say("Scaling app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  auto scaled = s.cc().post(
      "/v3/apps/" + guid + "/processes/" + p.value("process", "web") + "/actions/scale", body);
  if (!scaled) return s.fail(scaled.error());
  if (restarts && str(*app, "state") == "STARTED") {
    s.ui.say("Stopping app...\n");
    return start_and_show(s, *app, "restart");
  }
  if (str(*app, "state") == "STARTED") {
    if (auto waited = wait_for_instances(s, guid, p.arg(0)); !waited) return s.fail(waited.error());
  }
  if (auto shown = show_app_summary(s, guid); !shown) return s.fail(shown.error());
  return 0;
}

int run_delete(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!confirmed(s, p, "Really delete the app " + p.arg(0) + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting app " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) {
    s.ui.warn("App '" + p.arg(0) + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  std::string guid = str(*app, "guid");
  std::vector<std::string> routes;
  if (p.has("r")) {
    auto mapped = s.cc().list("/v3/apps/" + guid + "/routes");
    if (!mapped) return s.fail(mapped.error());
    for (const auto& r : mapped->GetArray()) {
      for (const auto& d : r["destinations"].GetArray()) {
        const json::Value* other = at(d, {"app", "guid"});
        if (other && other->IsString() && other->GetString() != guid) {
          return s.fail("Route '" + str(r, "url") +
                        "' is mapped to another app; unmap it first: "
                        "nothing was deleted.");
        }
      }
      routes.push_back(str(r, "guid"));
    }
  }
  if (auto gone = s.cc().remove("/v3/apps/" + guid); !gone) return s.fail(gone.error());
  for (const auto& r : routes) {
    auto route_gone = s.cc().remove("/v3/routes/" + r);
    if (!route_gone && cc::api::status_of(route_gone.error()) != 404) {
      return s.fail(route_gone.error());
    }
  }
  s.ui.ok();
  return 0;
}

int run_rename(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Renaming app " + s.ui.cyan(p.arg(0)) + " to " + s.ui.cyan(p.arg(1)) + " " +
           in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto renamed = s.cc().patch("/v3/apps/" + str(*app, "guid"),
                              R"({"name": )" + cc::api::quote(p.arg(1)) + "}");
  if (!renamed) return s.fail(renamed.error());
  s.ui.ok();
  return 0;
}

}  // namespace

void add_app_commands(std::vector<Command>& out) {
  const std::vector<std::string> app_arg = {"APP_NAME"};
  out.push_back({{.name = "apps",
                  .aliases = {"a"},
                  .summary = "List all apps in the target space",
                  .usage = "cupola apps [--json]",
                  .flags = {kJsonFlag}},
                 run_apps});
  out.push_back(
      {{.name = "app",
        .summary = "Display health and status for an app",
        .usage = "cupola app APP_NAME [--guid] [--json]",
        .required_args = app_arg,
        .flags = {{"guid", 0, "", "Retrieve and display the given app's guid"}, kJsonFlag}},
       run_app});
  out.push_back({{.name = "start",
                  .aliases = {"st"},
                  .summary = "Start an app",
                  .usage = "cupola start APP_NAME",
                  .required_args = app_arg},
                 run_start});
  out.push_back({{.name = "stop",
                  .aliases = {"sp"},
                  .summary = "Stop an app",
                  .usage = "cupola stop APP_NAME",
                  .required_args = app_arg},
                 run_stop});
  out.push_back({{.name = "restart",
                  .aliases = {"rs"},
                  .summary = "Stop all instances of the app, then start them again.",
                  .usage = "cupola restart APP_NAME",
                  .required_args = app_arg},
                 run_restart});
  out.push_back(
      {{.name = "restage",
        .aliases = {"rg"},
        .summary = "Stage the app's latest package into a droplet and restart the app with it",
        .usage = "cupola restage APP_NAME",
        .required_args = app_arg},
       run_restage});
  out.push_back(
      {{.name = "scale",
        .summary =
            "Change or view the instance count, disk space limit, and memory limit for an app",
        .usage =
            "cupola scale APP_NAME [--process PROCESS] [-i INSTANCES] [-k DISK] [-m MEMORY] [-f]",
        .required_args = app_arg,
        .flags = {{"i", 'i', "INSTANCES", "Number of instances", false, 0},
                  {"m", 'm', "MEMORY", "Memory limit (e.g. 256M, 1024M, 1G)"},
                  {"k", 'k', "DISK", "Disk limit (e.g. 256M, 1024M, 1G)"},
                  {"process", 0, "PROCESS", "App process to scale (Default: web)"},
                  {"f", 'f', "", "Force restart of app without prompt"}}},
       run_scale});
  out.push_back({{.name = "delete",
                  .aliases = {"d"},
                  .summary = "Delete an app",
                  .usage = "cupola delete APP_NAME [-r] [-f]",
                  .required_args = app_arg,
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"},
                            {"r", 'r', "", "Also delete any mapped routes"}}},
                 run_delete});
  out.push_back({{.name = "rename",
                  .summary = "Rename an app",
                  .usage = "cupola rename APP_NAME NEW_APP_NAME",
                  .required_args = {"APP_NAME", "NEW_APP_NAME"}},
                 run_rename});
}

}  // namespace cupola::cli
