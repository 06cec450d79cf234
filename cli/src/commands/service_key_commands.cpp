// Service keys, credentials of a service instance for use outside an app: create-service-key,
// service-keys, service-key and delete-service-key. A key is a credential binding of type
// "key"; a managed instance's broker makes and drops it, so creating and deleting answer with
// a job (--wait follows it).
#include <string>

#include "cli/src/commands/lookup.h"
#include "cli/src/commands/service_flow.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::url_encode;

std::string keys_path(const std::string& instance_guid) {
  return "/v3/service_credential_bindings?type=key&service_instance_guids=" + instance_guid;
}

// The key NAME of the instance INSTANCE_GUID, or nullopt when it has none of that name.
Result<std::optional<json::Document>> find_key(Session& s, const std::string& instance_guid,
                                               const std::string& name) {
  auto keys = s.cc().list(keys_path(instance_guid) + "&names=" + url_encode(name));
  if (!keys) return std::move(keys).error();
  if (keys->Empty()) return std::optional<json::Document>{};
  json::Document key;
  key.CopyFrom((*keys)[0], key.GetAllocator());
  return std::optional<json::Document>(std::move(key));
}

Error key_not_found(const std::string& key, const std::string& instance) {
  return Error{make_error_code(Errc::NotFound),
               "No service key " + key + " found for service instance " + instance};
}

int run_create_key(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  int usage = 0;
  auto parameters = parameters_flag(s, p, "create-service-key", usage);
  if (usage != 0) return usage;
  s.ui.say("Creating service key " + s.ui.cyan(p.arg(1)) + " for service instance " +
           s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...");
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) return s.fail(instance.error());
  auto made =
      s.cc().call("POST", "/v3/service_credential_bindings",
                  credential_binding_body(str(*instance, "guid"), "", p.arg(1), parameters));
  if (!made) {
    const std::string& why = made.error().message;
    if (cc::api::status_of(made.error()) == 422 &&
        (why.find("already") != std::string::npos || why.find("taken") != std::string::npos)) {
      s.ui.say("\nService key " + p.arg(1) + " already exists");
      s.ui.ok();
      return 0;
    }
    return s.fail(made.error());
  }
  auto progress = follow_operation(s, *made, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  s.ui.ok();
  if (*progress == Progress::InProgress) s.ui.say("Create in progress.");
  return 0;
}

int run_service_keys(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Getting keys for service instance " + s.ui.cyan(p.arg(0)) + " as " +
           s.ui.cyan(s.user()) + "...\n");
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) return s.fail(instance.error());
  auto keys = s.cc().list(keys_path(str(*instance, "guid")) + "&per_page=5000");
  if (!keys) return s.fail(keys.error());
  if (keys->Empty()) {
    s.ui.say("No service keys for service instance " + p.arg(0));
    return 0;
  }
  Table rows = {{"name", "last operation", "message"}};
  for (const auto& k : keys->GetArray()) {
    const json::Value* op = at(k, {"last_operation"});
    rows.push_back(
        {str(k, "name"), last_operation_text(k), op != nullptr ? str(*op, "description") : ""});
  }
  s.ui.table(rows);
  return 0;
}

int run_service_key(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  bool quiet = p.has("guid") || p.has("json");
  if (!quiet) {
    s.ui.say("Getting key " + s.ui.cyan(p.arg(1)) + " for service instance " + s.ui.cyan(p.arg(0)) +
             " as " + s.ui.cyan(s.user()) + "...\n");
  }
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) return s.fail(instance.error());
  auto key = find_key(s, str(*instance, "guid"), p.arg(1));
  if (!key) return s.fail(key.error());
  if (!*key) return s.fail(key_not_found(p.arg(1), p.arg(0)));
  if (p.has("guid")) {
    s.ui.say(str(**key, "guid"));
    return 0;
  }
  auto details = s.cc().get("/v3/service_credential_bindings/" + str(**key, "guid") + "/details");
  if (!details) return s.fail(details.error());
  // cf v8 prints the credentials under "credentials", and nothing else the details hold.
  json::Document shown;
  shown.SetObject();
  json::Value credentials(rapidjson::kObjectType);
  if (const json::Value* c = at(*details, {"credentials"}); c != nullptr && c->IsObject()) {
    credentials.CopyFrom(*c, shown.GetAllocator());
  }
  shown.AddMember("credentials", credentials, shown.GetAllocator());
  s.ui.say(pretty_json(shown));
  return 0;
}

int run_delete_key(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  if (!confirmed(s, p, "Really delete the service key " + p.arg(1) + "?")) {
    s.ui.say("Delete cancelled");
    return 0;
  }
  s.ui.say("Deleting key " + s.ui.cyan(p.arg(1)) + " for service instance " + s.ui.cyan(p.arg(0)) +
           " as " + s.ui.cyan(s.user()) + "...");
  auto instance = lookup_instance(s, p.arg(0));
  if (!instance) return s.fail(instance.error());
  auto key = find_key(s, str(*instance, "guid"), p.arg(1));
  if (!key) return s.fail(key.error());
  if (!*key) {
    s.ui.say("\nService key " + p.arg(1) + " does not exist for service instance " + p.arg(0) +
             ".");
    s.ui.ok();
    return 0;
  }
  auto gone = s.cc().call("DELETE", "/v3/service_credential_bindings/" + str(**key, "guid"));
  if (!gone) return s.fail(gone.error());
  auto progress = follow_operation(s, *gone, p.has("wait"));
  if (!progress) return s.fail(progress.error());
  s.ui.ok();
  if (*progress == Progress::InProgress) s.ui.say("Delete in progress.");
  return 0;
}

}  // namespace

void add_service_key_commands(std::vector<Command>& out) {
  const std::vector<std::string> key_args = {"SERVICE_INSTANCE", "SERVICE_KEY"};
  out.push_back(
      {{.name = "create-service-key",
        .aliases = {"csk"},
        .summary = "Create key for a service instance",
        .usage = "cupola create-service-key SERVICE_INSTANCE SERVICE_KEY [-c PARAMETERS_AS_JSON] "
                 "[--wait]",
        .required_args = key_args,
        .flags = {kParametersFlag, kWaitFlag},
        .examples = "   cupola create-service-key mydb mykey -c '{\"permissions\":\"read-only\"}'\n"
                    "   cupola create-service-key mydb mykey -c "
                    "~/workspace/tmp/instance_config.json\n"},
       run_create_key});
  out.push_back({{.name = "service-keys",
                  .aliases = {"sk"},
                  .summary = "List keys for a service instance",
                  .usage = "cupola service-keys SERVICE_INSTANCE",
                  .required_args = {"SERVICE_INSTANCE"},
                  .examples = "   cupola service-keys mydb\n"},
                 run_service_keys});
  out.push_back(
      {{.name = "service-key",
        .summary = "Show service key info",
        .usage = "cupola service-key SERVICE_INSTANCE SERVICE_KEY [--guid] [--json]",
        .required_args = key_args,
        .flags = {{"guid", 0, "",
                   "Retrieve and display the given service-key's guid. All other output is "
                   "suppressed."},
                  {"json", 0, "", "Output credentials as JSON. All other output is suppressed."}},
        .examples = "   cupola service-key mydb mykey\n"},
       run_service_key});
  out.push_back({{.name = "delete-service-key",
                  .aliases = {"dsk"},
                  .summary = "Delete a service key",
                  .usage = "cupola delete-service-key SERVICE_INSTANCE SERVICE_KEY [-f] [--wait]",
                  .required_args = key_args,
                  .flags = {{"f", 'f', "", "Force deletion without confirmation"}, kWaitFlag},
                  .examples = "   cupola delete-service-key mydb mykey\n"},
                 run_delete_key});
}

}  // namespace cupola::cli
