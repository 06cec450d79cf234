// User-provided service instances (create-user-provided-service, update-user-provided-service)
// and what both kinds of instance take: bind-service, unbind-service, delete-service. Managed
// instances answer these with a job that waits for their broker (--wait follows it). Binding
// takes effect at the app's next start, as in Cloud Foundry.
#include <fstream>
#include <iterator>

#include "cli/src/commands/lookup.h"
#include "cli/src/commands/service_flow.h"
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

std::string instance_body(const Parsed& p, const std::string& credentials) {
  std::string body;
  auto add = [&body](const std::string& member) { body += (body.empty() ? "" : ", ") + member; };
  if (!credentials.empty()) add(R"("credentials": )" + credentials);
  if (p.has("l")) add(R"("syslog_drain_url": )" + cc::api::quote(p.value("l")));
  if (p.has("r")) add(R"("route_service_url": )" + cc::api::quote(p.value("r")));
  if (p.has("t")) {
    std::string tags;
    for (const auto& tag : split_tags(p.value("t"))) {
      tags += (tags.empty() ? "" : ", ") + cc::api::quote(tag);
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

int run_bind(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  int usage = 0;
  auto parameters = parameters_flag(s, p, "bind-service", usage);
  if (usage != 0) return usage;
  s.ui.say("Binding service instance " + s.ui.cyan(p.arg(1)) + " to app " + s.ui.cyan(p.arg(0)) +
           " " + in_target(s));
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  auto instance = lookup_instance(s, p.arg(1));
  if (!instance) return s.fail(instance.error());
  auto bound = s.cc().call("POST", "/v3/service_credential_bindings",
                           credential_binding_body(str(*instance, "guid"), str(*app, "guid"),
                                                   p.value("binding-name"), parameters));
  if (!bound) {
    if (cc::api::status_of(bound.error()) == 422 &&
        bound.error().message.find("already") != std::string::npos) {
      s.ui.say("App " + p.arg(0) + " is already bound to service instance " + p.arg(1) + ".");
      s.ui.ok();
      return 0;
    }
    return s.fail(bound.error());
  }
  auto progress = follow_operation(s, *bound, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  s.ui.ok();
  if (*progress == Progress::InProgress) {
    s.ui.say("Binding in progress. Use 'cupola service " + p.arg(1) +
             "' to check operation status.\n");
    s.ui.tip("Once this operation succeeds, use 'cupola restage " + p.arg(0) +
             "' to ensure your env variable changes take effect");
    return 0;
  }
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
  auto gone =
      s.cc().call("DELETE", "/v3/service_credential_bindings/" + str((*bindings)[0], "guid"));
  if (!gone) return s.fail(gone.error());
  auto progress = follow_operation(s, *gone, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  s.ui.ok();
  if (*progress == Progress::InProgress) {
    s.ui.say("Unbinding in progress. Use 'cupola service " + p.arg(1) +
             "' to check operation status.");
  }
  return 0;
}

int run_delete_service(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!p.has("f")) {
    s.ui.say(
        "This action impacts all resources scoped to this service instance, including service "
        "bindings, service keys and route bindings.");
  }
  if (!confirmed(s, p, "Really delete the service instance " + p.arg(0) + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting service instance " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) {
    if (instance.error().code != make_error_code(Errc::NotFound)) return s.fail(instance.error());
    s.ui.say("Service instance " + p.arg(0) + " did not exist.");
    s.ui.ok();
    return 0;
  }
  // Managed instances answer 202 and a job (the broker deprovisions); user-provided ones 204.
  auto gone = s.cc().call("DELETE", "/v3/service_instances/" + str(*instance, "guid"));
  if (!gone) return s.fail(gone.error());
  auto progress = follow_operation(s, *gone, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  if (*progress == Progress::InProgress) {
    s.ui.say("Delete in progress. Use 'cupola services' or 'cupola service " + p.arg(0) +
             "' to check operation status.");
  } else {
    s.ui.say("Service instance " + p.arg(0) + " deleted.");
  }
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
  out.push_back(
      {{.name = "bind-service",
        .aliases = {"bs"},
        .summary = "Bind a service instance to an app",
        .usage = "cupola bind-service APP_NAME SERVICE_INSTANCE [-c PARAMETERS_AS_JSON] "
                 "[--binding-name BINDING_NAME] [--wait]",
        .required_args = {"APP_NAME", "SERVICE_INSTANCE"},
        .flags = {{"binding-name", 0, "BINDING_NAME",
                   "Name to expose service instance to app process with (Default: service "
                   "instance name)"},
                  kParametersFlag,
                  kWaitFlag},
        .examples = "   cupola bind-service myapp mydb -c '{\"permissions\":\"read-only\"}'\n"
                    "   cupola bind-service myapp mydb -c ~/workspace/tmp/instance_config.json "
                    "--binding-name BINDING_NAME\n"},
       run_bind});
  out.push_back({{.name = "unbind-service",
                  .aliases = {"us"},
                  .summary = "Unbind a service instance from an app",
                  .usage = "cupola unbind-service APP_NAME SERVICE_INSTANCE [--wait]",
                  .required_args = {"APP_NAME", "SERVICE_INSTANCE"},
                  .flags = {kWaitFlag}},
                 run_unbind});
  out.push_back({{.name = "delete-service",
                  .aliases = {"ds"},
                  .summary = "Delete a service instance",
                  .usage = "cupola delete-service SERVICE_INSTANCE [-f] [--wait]",
                  .required_args = {"SERVICE_INSTANCE"},
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"}, kWaitFlag}},
                 run_delete_service});
}

}  // namespace cupola::cli
