// domains, create-private-domain, create-shared-domain, delete-private-domain,
// delete-shared-domain, events.
#include <algorithm>
#include <charconv>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"
#include "common/core/time.h"

namespace cupola::cli {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Shared domains have no owning organization; cf calls every other one private, shared
// into the org or not.
bool is_shared(const json::Value& domain) {
  const json::Value* org = at(domain, {"relationships", "organization", "data", "guid"});
  return org == nullptr || !org->IsString() || org->GetStringLength() == 0;
}

// The domain named NAME, or nullopt when there is none.
Result<std::optional<json::Document>> find_domain(Session& s, const std::string& name) {
  auto found = s.cc().list("/v3/domains?names=" + cc::api::url_encode(name));
  if (!found) return std::move(found).error();
  if (found->Empty()) return std::optional<json::Document>();
  json::Document domain;
  domain.CopyFrom((*found)[0], domain.GetAllocator());
  return std::optional<json::Document>(std::move(domain));
}

Result<void> delete_domain(Session& s, const json::Value& domain) {
  return s.cc().remove("/v3/domains/" + str(domain, "guid"));
}

int run_domains(Session& s, const Parsed&) {
  if (!s.require_org()) return 1;
  s.ui.say("Getting domains in org " + s.ui.cyan(s.config.org_name) + " as " + s.ui.cyan(s.user()) +
           "...\n");
  auto domains = s.cc().list("/v3/organizations/" + s.config.org_guid + "/domains?per_page=5000");
  if (!domains) return s.fail(domains.error());
  if (domains->Empty()) {
    s.ui.say("No domains found.");
    return 0;
  }
  Table rows;
  for (const auto& d : domains->GetArray()) {
    const json::Value* internal = at(d, {"internal"});
    std::string protocols;
    if (const json::Value* list = at(d, {"supported_protocols"}); list && list->IsArray()) {
      for (const auto& p : list->GetArray()) {
        if (p.IsString()) protocols += (protocols.empty() ? "" : ",") + std::string(p.GetString());
      }
    }
    rows.push_back({str(d, "name"), is_shared(d) ? "shared" : "private",
                    internal && internal->IsBool() && internal->GetBool() ? "true" : "",
                    protocols});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return lower(a[0]) < lower(b[0]); });
  rows.insert(rows.begin(),
              std::vector<std::string>{"name", "availability", "internal", "protocols"});
  s.ui.table(rows);
  return 0;
}

int run_create_private_domain(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Creating private domain " + s.ui.cyan(p.arg(1)) + " for org " + s.ui.cyan(p.arg(0)) +
           " as " + s.ui.cyan(s.user()) + "...");
  auto org = lookup_org(s, p.arg(0));
  if (!org) return s.fail(org.error());
  auto made = s.cc().post("/v3/domains", R"({"name": )" + cc::api::quote(p.arg(1)) +
                                             R"(, "relationships": {"organization": {"data": )"
                                             R"({"guid": ")" +
                                             org->guid + R"("}}}})");
  if (!made) return s.fail(made.error());
  s.ui.ok();
  return 0;
}

int run_create_shared_domain(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  s.ui.say("Creating shared domain " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...");
  auto made =
      s.cc().post("/v3/domains", R"({"name": )" + cc::api::quote(p.arg(0)) + R"(, "internal": )" +
                                     (p.has("internal") ? "true" : "false") + "}");
  if (!made) return s.fail(made.error());
  s.ui.ok();
  s.ui.tip("Domain '" + p.arg(0) +
           "' is shared with all orgs. Run 'cupola domains' to view available domains.");
  return 0;
}

int run_delete_private_domain(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  std::string name = p.arg(0);
  std::string deleting =
      "Deleting private domain " + s.ui.cyan(name) + " as " + s.ui.cyan(s.user()) + "...";
  s.ui.say(deleting);
  auto domain = find_domain(s, name);
  if (!domain) return s.fail(domain.error());
  if (!*domain) {
    s.ui.warn("Domain '" + name + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  if (is_shared(**domain)) {
    return s.fail("Domain '" + name + "' is a shared domain, not a private domain.");
  }
  s.ui.say(
      "Deleting the private domain will remove associated routes which will make apps with this "
      "domain unreachable.");
  if (!confirmed(s, p, "Really delete the private domain " + name + "?")) {
    s.ui.say("'" + name + "' has not been deleted.");
    return 0;
  }
  s.ui.say(deleting);
  if (auto gone = delete_domain(s, **domain); !gone) return s.fail(gone.error());
  s.ui.ok();
  s.ui.tip("Run 'cupola domains' to view available domains.");
  return 0;
}

int run_delete_shared_domain(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  std::string name = p.arg(0);
  s.ui.say("This action impacts all orgs using this domain.");
  s.ui.say(
      "Deleting the domain will remove associated routes which will make apps with this domain, "
      "in any org, unreachable.");
  if (!confirmed(s, p, "Really delete the shared domain " + name + "?")) {
    s.ui.say("'" + name + "' has not been deleted.");
    return 0;
  }
  s.ui.say("Deleting domain " + s.ui.cyan(name) + " as " + s.ui.cyan(s.user()) + "...");
  auto domain = find_domain(s, name);
  if (!domain) return s.fail(domain.error());
  if (!*domain) {
    s.ui.warn("Domain '" + name + "' does not exist.");
    s.ui.ok();
    return 0;
  }
  if (!is_shared(**domain)) {
    return s.fail("Domain '" + name + "' is a private domain, not a shared domain.");
  }
  if (auto gone = delete_domain(s, **domain); !gone) return s.fail(gone.error());
  s.ui.ok();
  return 0;
}

// One value of an event's description as cf prints it: strings bare, numbers without
// exponent or trailing zeros.
std::string description_part(const json::Value& v) {
  if (v.IsString()) return v.GetString();
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsDouble()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.GetDouble(), std::chars_format::fixed);
    if (ec == std::errc()) return std::string(buf, end);
  }
  return json::to_string(v);
}

// cf's description of an event: the known keys of its data (or of data.request), in cf's
// order, as "key: value" joined by ", ".
std::string describe(const json::Value& event) {
  const json::Value* data = at(event, {"data"});
  if (data == nullptr || !data->IsObject()) return "";
  if (const json::Value* request = at(*data, {"request"}); request && request->IsObject()) {
    data = request;
  }
  std::string out;
  for (const char* key :
       {"index", "reason", "cell_id", "instance", "exit_description", "exit_status", "recursive",
        "disk_quota", "instances", "memory", "state", "command", "environment_json"}) {
    const json::Value* v = at(*data, {key});
    if (v == nullptr || v->IsNull()) continue;
    out += (out.empty() ? "" : ", ") + std::string(key) + ": " + description_part(*v);
  }
  return out;
}

// An event's time as cf prints it: local time with hundredths and the zone's offset.
std::string event_time(const std::string& created_at) {
  auto t = parse_rfc3339(created_at);
  if (!t) return created_at;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t->time_since_epoch()).count();
  return format_log_timestamp(ns, local_utc_offset_minutes(ns / 1'000'000'000));
}

int run_events(Session& s, const Parsed& p) {
  if (!s.require_space()) return 1;
  s.ui.say("Getting events for app " + s.ui.cyan(p.arg(0)) + " " + in_target(s) + "\n");
  auto app = lookup_app(s, p.arg(0));
  if (!app) return s.fail(app.error());
  // The first page only, newest first: cf's "recent" events.
  auto events =
      s.cc().get("/v3/audit_events?target_guids=" + str(*app, "guid") + "&order_by=-created_at");
  if (!events) return s.fail(events.error());
  const json::Value* resources = at(*events, {"resources"});
  bool none = resources == nullptr || !resources->IsArray() || resources->Empty();
  if (none) s.ui.say("No events found.");
  Table rows = {{"time", "event", "actor", "description"}};
  if (!none) {
    for (const auto& e : resources->GetArray()) {
      const json::Value* actor = at(e, {"actor"});
      rows.push_back({event_time(str(e, "created_at")), str(e, "type"),
                      actor ? str(*actor, "name") : "", describe(e)});
    }
  }
  s.ui.table(rows);
  return 0;
}

}  // namespace

void add_domain_event_commands(std::vector<Command>& out) {
  const FlagSpec force{"f", 'f', "", "Force deletion without confirmation"};
  out.push_back(
      {{.name = "domains", .summary = "List domains in the target org", .usage = "cupola domains"},
       run_domains});
  out.push_back({{.name = "create-private-domain",
                  .aliases = {"create-domain"},
                  .summary = "Create a private domain for a specific org",
                  .usage = "cupola create-private-domain ORG DOMAIN",
                  .required_args = {"ORG", "DOMAIN"}},
                 run_create_private_domain});
  out.push_back(
      {{.name = "create-shared-domain",
        .summary = "Create a domain that can be used by all orgs (admin-only)",
        .usage = "cupola create-shared-domain DOMAIN [--internal]",
        .required_args = {"DOMAIN"},
        .flags = {{"internal", 0, "",
                   "Applications that use internal routes communicate directly on the container "
                   "network"}}},
       run_create_shared_domain});
  out.push_back({{.name = "delete-private-domain",
                  .aliases = {"delete-domain"},
                  .summary = "Delete a private domain",
                  .usage = "cupola delete-private-domain DOMAIN [-f]",
                  .required_args = {"DOMAIN"},
                  .flags = {force}},
                 run_delete_private_domain});
  out.push_back({{.name = "delete-shared-domain",
                  .summary = "Delete a shared domain",
                  .usage = "cupola delete-shared-domain DOMAIN [-f]",
                  .required_args = {"DOMAIN"},
                  .flags = {force}},
                 run_delete_shared_domain});
  out.push_back({{.name = "events",
                  .summary = "Show recent app events",
                  .usage = "cupola events APP_NAME",
                  .required_args = {"APP_NAME"}},
                 run_events});
}

}  // namespace cupola::cli
