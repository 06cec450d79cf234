// Services as far as the Cloud Controller has them: user-provided service instances
// (create-user-provided-service, update-user-provided-service), services, service,
// bind-service, unbind-service, delete-service. Binding takes effect at the app's next start,
// as in Cloud Foundry.
#include <fstream>
#include <iterator>
#include <map>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

// -p's value: inline JSON, a JSON file, or comma-separated names to prompt for (the cf CLI's
// three forms; prompting is left out: names are refused with what to do instead).
Result<std::string> credentials_json(const std::string& value) {
  std::string text = value;
  if (!value.empty() && value[0] != '{') {
    std::ifstream in(value);
    if (!in) {
      return Error{make_error_code(Errc::InvalidArgument),
                   "Give -p as JSON ('{\"user\": \"u\"}') or the path of a JSON file; '" + value +
                       "' is neither"};
    }
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto doc = json::parse(text);
  if (!doc || !doc->IsObject()) {
    return Error{make_error_code(Errc::InvalidArgument),
                 "Invalid configuration provided for -p flag. Please provide a valid JSON object "
                 "or path to a file containing a valid JSON object."};
  }
  json::Writer w;
  w.value(*doc);
  return w.str();
}

Result<json::Document> lookup_instance(Session& s, const std::string& name) {
  auto found = s.cc().list("/v3/service_instances?names=" + cc::api::url_encode(name) +
                           "&space_guids=" + s.config.space_guid);
  if (!found) return std::move(found).error();
  if (found->Empty()) {
    return Error{make_error_code(Errc::NotFound), "Service instance '" + name + "' not found"};
  }
  json::Document one;
  one.CopyFrom((*found)[0], one.GetAllocator());
  return one;
}

std::string instance_body(const Parsed& p, const std::string& credentials) {
  std::string body;
  auto add = [&body](const std::string& member) { body += (body.empty() ? "" : ", ") + member; };
  if (!credentials.empty()) add(R"("credentials": )" + credentials);
  if (p.has("l")) add(R"("syslog_drain_url": )" + cc::api::quote(p.value("l")));
  if (p.has("r")) add(R"("route_service_url": )" + cc::api::quote(p.value("r")));
  if (p.has("t")) {
    std::string tags;
    std::string all = p.value("t");
    std::size_t start = 0;
    while (start <= all.size()) {
      auto comma = all.find(',', start);
      std::string tag =
          all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!tag.empty() && tag.front() == ' ') tag.erase(tag.begin());
      while (!tag.empty() && tag.back() == ' ') tag.pop_back();
      if (!tag.empty()) tags += (tags.empty() ? "" : ", ") + cc::api::quote(tag);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    add(R"("tags": [)" + tags + "]");
  }
  return body;
}

int run_cups(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  std::string credentials;
  if (p.has("p")) {
    auto c = credentials_json(p.value("p"));
    if (!c) return s.fail(c.error().message);
    credentials = *c;
  }
  s.ui.say("Creating user provided service " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  std::string body = R"({"type": "user-provided", "name": )" + cc::api::quote(p.arg(0)) +
                     R"(, "relationships": {"space": {"data": {"guid": ")" + s.config.space_guid +
                     R"("}}})";
  std::string more = instance_body(p, credentials);
  if (!more.empty()) body += ", " + more;
  auto made = s.cc().post("/v3/service_instances", body + "}");
  if (!made) {
    if (cc::api::status_of(made.error()) == 422 &&
        made.error().message.find("already") != std::string::npos) {
      s.ui.warn("Service instance " + p.arg(0) + " already exists");
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  s.ui.ok();
  return 0;
}

int run_uups(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  std::string credentials;
  if (p.has("p")) {
    auto c = credentials_json(p.value("p"));
    if (!c) return s.fail(c.error().message);
    credentials = *c;
  }
  s.ui.say("Updating user provided service " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) return s.fail(instance.error());
  std::string more = instance_body(p, credentials);
  if (more.empty()) {
    s.ui.say("No flags specified. No changes were made.");
    s.ui.ok();
    return 0;
  }
  auto updated = s.cc().patch("/v3/service_instances/" + str(*instance, "guid"), "{" + more + "}");
  if (!updated) return s.fail(updated.error());
  s.ui.ok();
  s.ui.tip(
      "Use 'cupola restage' for any bound apps to ensure your env variable changes take effect");
  return 0;
}

int run_services(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!p.has("json")) s.ui.say("Getting service instances " + in_target(s) + "\n");
  auto instances = s.cc().list("/v3/service_instances?order_by=name&per_page=5000&space_guids=" +
                               s.config.space_guid);
  if (!instances) return s.fail(instances.error());
  if (p.has("json")) {
    say_json(s, *instances);
    return 0;
  }
  if (instances->Empty()) {
    s.ui.say("No service instances found.");
    return 0;
  }
  auto bindings = s.cc().list("/v3/service_credential_bindings?type=app&per_page=5000");
  auto apps = s.cc().list("/v3/apps?per_page=5000&space_guids=" + s.config.space_guid);
  std::map<std::string, std::string> app_names, bound;
  if (apps) {
    for (const auto& a : apps->GetArray()) app_names[str(a, "guid")] = str(a, "name");
  }
  if (bindings) {
    for (const auto& b : bindings->GetArray()) {
      const json::Value* instance = at(b, {"relationships", "service_instance", "data", "guid"});
      const json::Value* app = at(b, {"relationships", "app", "data", "guid"});
      if (instance == nullptr || app == nullptr || !instance->IsString() || !app->IsString())
        continue;
      std::string& line = bound[instance->GetString()];
      line += (line.empty() ? "" : ", ") + app_names[app->GetString()];
    }
  }
  Table rows = {
      {"name", "offering", "plan", "bound apps", "last operation", "broker", "upgrade available"}};
  for (const auto& i : instances->GetArray()) {
    bool user_provided = str(i, "type") == "user-provided";
    const json::Value* op = at(i, {"last_operation"});
    std::string last = op ? str(*op, "type") + " " + str(*op, "state") : "";
    rows.push_back({str(i, "name"), user_provided ? "user-provided" : "", "", bound[str(i, "guid")],
                    last, "", ""});
  }
  s.ui.table(rows);
  return 0;
}

int run_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  auto instance = lookup_instance(s, p.arg(0));
  if (p.has("guid")) {
    if (!instance) return s.fail(instance.error());
    s.ui.say(str(*instance, "guid"));
    return 0;
  }
  s.ui.say("Showing info of service " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  if (!instance) return s.fail(instance.error());
  std::string tags;
  if (const json::Value* t = at(*instance, {"tags"}); t && t->IsArray()) {
    for (const auto& tag : t->GetArray())
      tags += (tags.empty() ? "" : ", ") + std::string(tag.GetString());
  }
  s.ui.key_values({{"name", str(*instance, "name")},
                   {"guid", str(*instance, "guid")},
                   {"type", str(*instance, "type")},
                   {"tags", tags},
                   {"route service url", str(*instance, "route_service_url")},
                   {"syslog drain url", str(*instance, "syslog_drain_url")}});
  auto bindings = s.cc().list("/v3/service_credential_bindings?type=app&service_instance_guids=" +
                              str(*instance, "guid"));
  s.ui.say("");
  if (!bindings || bindings->Empty()) {
    s.ui.say("There are no bound apps for this service instance.");
    return 0;
  }
  s.ui.say("Showing bound apps:");
  Table rows = {{"name", "binding name", "status", "message"}};
  for (const auto& b : bindings->GetArray()) {
    const json::Value* app = at(b, {"relationships", "app", "data", "guid"});
    std::string name;
    if (app && app->IsString()) {
      auto a = s.cc().get(std::string("/v3/apps/") + app->GetString());
      if (a) name = str(*a, "name");
    }
    const json::Value* op = at(b, {"last_operation"});
    rows.push_back(
        {name, str(b, "name"), op ? str(*op, "type") + " " + str(*op, "state") : "", ""});
  }
  s.ui.table(rows);
  return 0;
}

int run_bind(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Binding service instance " + s.ui.cyan(p.arg(1)) + " to app " + s.ui.cyan(p.arg(0)) +
           " " + in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto instance = lookup_instance(s, p.arg(1));
  if (!instance) return s.fail(instance.error());
  std::string body = R"({"type": "app", "relationships": {"app": {"data": {"guid": ")" +
                     str(*app, "guid") + R"("}}, "service_instance": {"data": {"guid": ")" +
                     str(*instance, "guid") + R"("}}})";
  if (p.has("binding-name")) body += R"(, "name": )" + cc::api::quote(p.value("binding-name"));
  if (p.has("c")) {
    auto c = credentials_json(p.value("c"));
    if (!c) return s.fail(c.error().message);
    body += R"(, "parameters": )" + *c;
  }
  auto bound = s.cc().call("POST", "/v3/service_credential_bindings", body + "}");
  if (!bound) {
    if (cc::api::status_of(bound.error()) == 422 &&
        bound.error().message.find("already") != std::string::npos) {
      s.ui.say("App " + p.arg(0) + " is already bound to service instance " + p.arg(1) + ".");
      s.ui.ok();
      return 0;
    }
    return s.fail(bound.error());
  }
  if (!bound->location.empty()) {
    if (auto job = s.cc().wait_job(bound->location); !job) return s.fail(job.error());
  }
  s.ui.ok();
  s.ui.tip("Use 'cupola restage " + p.arg(0) + "' to ensure your env variable changes take effect");
  return 0;
}

int run_unbind(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Unbinding app " + s.ui.cyan(p.arg(0)) + " from service " + s.ui.cyan(p.arg(1)) + " " +
           in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto instance = lookup_instance(s, p.arg(1));
  if (!instance) return s.fail(instance.error());
  auto bindings =
      s.cc().list("/v3/service_credential_bindings?type=app&app_guids=" + str(*app, "guid") +
                  "&service_instance_guids=" + str(*instance, "guid"));
  if (!bindings) return s.fail(bindings.error());
  if (bindings->Empty()) {
    s.ui.warn("Binding between " + p.arg(1) + " and " + p.arg(0) + " did not exist");
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove("/v3/service_credential_bindings/" + str((*bindings)[0], "guid"));
      !gone)
    return s.fail(gone.error());
  s.ui.ok();
  return 0;
}

int run_delete_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!confirmed(s, p, "Really delete the service instance " + p.arg(0) + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting service instance " + s.ui.cyan(p.arg(0)) + " " + in_target(s));
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) {
    s.ui.say("Service instance " + p.arg(0) + " did not exist.");
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove("/v3/service_instances/" + str(*instance, "guid")); !gone)
    return s.fail(gone.error());
  s.ui.ok();
  return 0;
}

}  // namespace

void add_service_commands(std::vector<Command>& out) {
  const std::vector<FlagSpec> ups_flags = {
      {"p", 'p', "CREDENTIALS",
       "Credentials, provided inline or in a file, to be exposed in the VCAP_SERVICES environment "
       "variable for bound applications"},
      {"l", 'l', "SYSLOG_DRAIN_URL", "URL to which logs for bound applications will be streamed"},
      {"r", 'r', "ROUTE_SERVICE_URL",
       "URL to which requests for bound routes will be forwarded (https only)"},
      {"t", 't', "TAGS", "User provided tags"}};
  out.push_back({{.name = "create-user-provided-service",
                  .aliases = {"cups"},
                  .summary = "Make a user-provided service instance available to CF apps",
                  .usage = "cupola create-user-provided-service SERVICE_INSTANCE [-p CREDENTIALS] "
                           "[-l SYSLOG_DRAIN_URL] [-r ROUTE_SERVICE_URL] [-t TAGS]",
                  .required_args = {"SERVICE_INSTANCE"},
                  .flags = ups_flags},
                 run_cups});
  out.push_back({{.name = "update-user-provided-service",
                  .aliases = {"uups"},
                  .summary = "Update user-provided service instance",
                  .usage = "cupola update-user-provided-service SERVICE_INSTANCE [-p CREDENTIALS] "
                           "[-l SYSLOG_DRAIN_URL] [-r ROUTE_SERVICE_URL] [-t TAGS]",
                  .required_args = {"SERVICE_INSTANCE"},
                  .flags = ups_flags},
                 run_uups});
  out.push_back({{.name = "services",
                  .aliases = {"s"},
                  .summary = "List service instances in the target space",
                  .usage = "cupola services [--json]",
                  .flags = {kJsonFlag}},
                 run_services});
  out.push_back(
      {{.name = "service",
        .summary = "Show service instance info",
        .usage = "cupola service SERVICE_INSTANCE [--guid]",
        .required_args = {"SERVICE_INSTANCE"},
        .flags = {{"guid", 0, "", "Retrieve and display the given service instance's guid"}}},
       run_service});
  out.push_back(
      {{.name = "bind-service",
        .aliases = {"bs"},
        .summary = "Bind a service instance to an app",
        .usage = "cupola bind-service APP_NAME SERVICE_INSTANCE [-c PARAMETERS_AS_JSON] "
                 "[--binding-name BINDING_NAME]",
        .required_args = {"APP_NAME", "SERVICE_INSTANCE"},
        .flags = {{"c", 'c', "PARAMETERS_AS_JSON",
                   "Valid JSON object containing service-specific configuration parameters"},
                  {"binding-name", 0, "BINDING_NAME",
                   "Name to expose service instance to app process with"}}},
       run_bind});
  out.push_back({{.name = "unbind-service",
                  .aliases = {"us"},
                  .summary = "Unbind a service instance from an app",
                  .usage = "cupola unbind-service APP_NAME SERVICE_INSTANCE",
                  .required_args = {"APP_NAME", "SERVICE_INSTANCE"}},
                 run_unbind});
  out.push_back({{.name = "delete-service",
                  .aliases = {"ds"},
                  .summary = "Delete a service instance",
                  .usage = "cupola delete-service SERVICE_INSTANCE [-f]",
                  .required_args = {"SERVICE_INSTANCE"},
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"}}},
                 run_delete_service});
}

}  // namespace cupola::cli
