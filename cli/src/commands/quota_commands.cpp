// org-quotas, org-quota, create-, update-, delete- and set-org-quota; space-quotas,
// space-quota, create-, update-, delete-, set- and unset-space-quota; org and space, which
// show the quota in force with the rest of what an org or a space holds.
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <optional>

#include "cli/src/commands/lookup.h"
#include "cli/src/session.h"

namespace cupola::cli {
namespace {

using cc::api::quote;
using cc::api::url_encode;

// Org quotas and space quotas differ in little but their words and paths: the API path, the
// noun of progress lines ("org quota"), that of messages ("Organization quota") and the
// command's ("org-quota").
struct Kind {
  bool org;
  const char *base, *noun, *title, *name;
};
const Kind kOrgQuota{true, "/v3/organization_quotas", "org quota", "Organization quota",
                     "org-quota"};
const Kind kSpaceQuota{false, "/v3/space_quotas", "space quota", "Space quota", "space-quota"};

// " for org acme" for space quotas, which live in the targeted org.
std::string for_org(Session& s, const Kind& k) {
  return k.org ? "" : " for org " + s.ui.cyan(s.config.org_name);
}

bool require(Session& s, const Kind& k) { return k.org ? s.require_login() : s.require_org(); }

// "Creating space quota small for org acme as admin..."
std::string doing(Session& s, const char* verb, const Kind& k, const std::string& name) {
  return std::string(verb) + " " + k.noun + " " + s.ui.cyan(name) + for_org(s, k) + " as " +
         s.ui.cyan(s.user()) + "...";
}

Result<json::Document> find_quota(Session& s, const Kind& k, const std::string& name) {
  std::string path = std::string(k.base) + "?names=" + url_encode(name);
  if (!k.org) path += "&organization_guids=" + s.config.org_guid;
  auto found = s.cc().list(path);
  if (!found) return std::move(found).error();
  if (found->Empty()) {
    return Error{make_error_code(Errc::NotFound),
                 std::string(k.title) + " with name '" + name + "' not found."};
  }
  json::Document q;
  q.CopyFrom((*found)[0], q.GetAllocator());
  return q;
}

// A limit as cf shows it: "unlimited" for null, sizes as "10G".
std::string limit(const json::Value& q, const char* section, const char* key, bool memory) {
  const json::Value* v = at(q, {section, key});
  if (v == nullptr || !v->IsInt64()) return "unlimited";
  return memory ? format_megabytes(v->GetInt64()) : std::to_string(v->GetInt64());
}

// What limits_of gives, as cf names it.
const char* const kLimitNames[] = {"total memory",      "instance memory",    "routes",
                                   "service instances", "paid service plans", "app instances",
                                   "route ports"};
std::vector<std::string> limits_of(const json::Value& q) {
  const json::Value* paid = at(q, {"services", "paid_services_allowed"});
  return {limit(q, "apps", "total_memory_in_mb", true),
          limit(q, "apps", "per_process_memory_in_mb", true),
          limit(q, "routes", "total_routes", false),
          limit(q, "services", "total_service_instances", false),
          paid && paid->IsBool() && paid->GetBool() ? "allowed" : "disallowed",
          limit(q, "apps", "total_instances", false),
          limit(q, "routes", "total_reserved_ports", false)};
}

// A limit flag's value: "-1" (unlimited) or a count; for -m and -i an integer with M, MB, G,
// GB, T or TB, in megabytes. nullopt when malformed.
std::optional<long long> parse_limit(const std::string& text, bool memory) {
  if (text == "-1") return -1;
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || errno == ERANGE || n < 0 || text[0] == '-' || text[0] == '+') {
    return std::nullopt;
  }
  std::string unit(end);
  for (auto& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!memory || unit == "M" || unit == "MB") {
    return !memory && !unit.empty() ? std::nullopt : std::optional<long long>(n);
  }
  if (unit == "G" || unit == "GB") return n * 1024;
  if (unit == "T" || unit == "TB") return n * 1024 * 1024;
  return std::nullopt;
}

// A limit flag and the member it sets; cf sends 0 for zero_on_create ones a create omits.
struct LimitFlag {
  const char *flag, *section, *key;
  bool memory, zero_on_create;
};
constexpr LimitFlag kLimitFlags[] = {
    {"m", "apps", "total_memory_in_mb", true, true},
    {"i", "apps", "per_process_memory_in_mb", true, false},
    {"a", "apps", "total_instances", false, false},
    {"s", "services", "total_service_instances", false, true},
    {"r", "routes", "total_routes", false, true},
    {"reserved-route-ports", "routes", "total_reserved_ports", false, true},
};

// The "apps", "services" and "routes" members of a create (all limits, cf's defaults for the
// missing) or update (only the given) body, each after ", ". A usage mistake as the error.
Result<std::string> limits_json(const Parsed& p, bool create) {
  std::map<std::string, std::string> sections;
  auto add = [&sections](const std::string& section, const std::string& member) {
    sections[section] += (sections[section].empty() ? "" : ", ") + member;
  };
  for (const auto& f : kLimitFlags) {
    std::string value;
    if (p.has(f.flag)) {
      auto n = parse_limit(p.value(f.flag), f.memory);
      if (!n) {
        return Error{make_error_code(Errc::InvalidArgument),
                     f.memory ? "Byte quantity must be an integer with a unit of measurement "
                                "like M, MB, G, or GB"
                              : "invalid integer limit (expected int >= -1)"};
      }
      value = *n == -1 ? "null" : std::to_string(*n);
    } else if (create) {
      value = f.zero_on_create ? "0" : "null";
    } else {
      continue;
    }
    add(f.section, std::string("\"") + f.key + "\": " + value);
  }
  if (create || p.has("allow-paid-service-plans") || p.has("disallow-paid-service-plans")) {
    add("services", std::string(R"("paid_services_allowed": )") +
                        (p.has("allow-paid-service-plans") ? "true" : "false"));
  }
  std::string out;
  for (const auto& [section, members] : sections) {
    out += ", \"" + section + "\": {" + members + "}";
  }
  return out;
}

int run_quotas(Session& s, const Parsed&, const Kind& k) {
  if (!require(s, k)) return 1;
  s.ui.say("Getting " + std::string(k.noun) + "s" + for_org(s, k) + " as " + s.ui.cyan(s.user()) +
           "...\n");
  std::string path = std::string(k.base) + "?per_page=5000";
  if (!k.org) path += "&organization_guids=" + s.config.org_guid;
  auto all = s.cc().list(path);
  if (!all) return s.fail(all.error());
  if (all->Empty()) {
    s.ui.say(k.org ? "No organization quotas found." : "No space quotas found.");
    return 0;
  }
  Table rows = {{"name"}};
  rows[0].insert(rows[0].end(), std::begin(kLimitNames), std::end(kLimitNames));
  for (const auto& q : all->GetArray()) {
    rows.push_back({str(q, "name")});
    for (auto& cell : limits_of(q)) rows.back().push_back(std::move(cell));
  }
  s.ui.table(rows);
  return 0;
}

int run_quota(Session& s, const Parsed& p, const Kind& k) {
  if (!require(s, k)) return 1;
  s.ui.say(doing(s, "Getting", k, p.arg(0)) + "\n");
  auto q = find_quota(s, k, p.arg(0));
  if (!q) return s.fail(q.error());
  auto cells = limits_of(*q);
  KeyValues rows;
  for (std::size_t i = 0; i < cells.size(); ++i) rows.emplace_back(kLimitNames[i], cells[i]);
  s.ui.key_values(rows);
  return 0;
}

int run_create_quota(Session& s, const Parsed& p, const Kind& k) {
  auto limits = limits_json(p, true);
  if (!limits) return usage_error(s, std::string("create-") + k.name, limits.error().message);
  if (!require(s, k)) return 1;
  std::string name = p.arg(0);
  s.ui.say(doing(s, "Creating", k, name));
  std::string body = R"({"name": )" + quote(name) + *limits;
  if (!k.org) {
    body += R"(, "relationships": {"organization": {"data": {"guid": ")" + s.config.org_guid +
            R"("}}})";
  }
  auto made = s.cc().post(k.base, body + "}");
  if (!made) {
    // "Organization Quota 'q' already exists.": cf warns and counts it done.
    if (cc::api::status_of(made.error()) != 422 ||
        made.error().message.find("' already exists.") == std::string::npos) {
      return s.fail(made.error());
    }
    s.ui.warn(made.error().message);
  }
  s.ui.ok();
  return 0;
}

int run_update_quota(Session& s, const Parsed& p, const Kind& k) {
  if (p.has("allow-paid-service-plans") && p.has("disallow-paid-service-plans")) {
    return usage_error(s, std::string("update-") + k.name,
                       "The following arguments cannot be used together: "
                       "--allow-paid-service-plans, --disallow-paid-service-plans");
  }
  auto limits = limits_json(p, false);
  if (!limits) return usage_error(s, std::string("update-") + k.name, limits.error().message);
  if (!require(s, k)) return 1;
  s.ui.say(doing(s, "Updating", k, p.arg(0)));
  auto q = find_quota(s, k, p.arg(0));
  if (!q) return s.fail(q.error());
  std::string body = R"({"name": )" + quote(p.value("n", p.arg(0))) + *limits + "}";
  auto saved = s.cc().patch(std::string(k.base) + "/" + str(*q, "guid"), body);
  if (!saved) return s.fail(saved.error());
  s.ui.ok();
  return 0;
}

int run_delete_quota(Session& s, const Parsed& p, const Kind& k) {
  if (!require(s, k)) return 1;
  std::string name = p.arg(0);
  if (!confirmed(s, p,
                 "Really delete the " + std::string(k.noun) + " " + name +
                     (k.org ? "" : " in org " + s.config.org_name) + "?")) {
    s.ui.say(std::string(k.title) + " '" + name + "' has not been deleted.");
    return 0;
  }
  s.ui.say(doing(s, "Deleting", k, name));
  auto q = find_quota(s, k, name);
  if (!q) {
    if (q.error().code != make_error_code(Errc::NotFound)) return s.fail(q.error());
    s.ui.warn(q.error().message);
    s.ui.ok();
    return 0;
  }
  if (auto gone = s.cc().remove(std::string(k.base) + "/" + str(*q, "guid")); !gone)
    return s.fail(gone.error());
  s.ui.ok();
  return 0;
}

// set-org-quota ORG QUOTA; set-space-quota and unset-space-quota SPACE QUOTA (targeted org).
int run_apply_quota(Session& s, const Parsed& p, const Kind& k, bool set) {
  if (!require(s, k)) return 1;
  s.ui.say(std::string(set ? "Setting " : "Unassigning ") + (k.org ? "quota " : "space quota ") +
           s.ui.cyan(p.arg(1)) + (set ? " to " : " from ") + (k.org ? "org " : "space ") +
           s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) + "...");
  auto target = k.org ? lookup_org(s, p.arg(0)) : lookup_space(s, p.arg(0));
  if (!target) return s.fail(target.error());
  auto q = find_quota(s, k, p.arg(1));
  if (!q) return s.fail(q.error());
  std::string path = std::string(k.base) + "/" + str(*q, "guid") + "/relationships/" +
                     (k.org ? "organizations" : "spaces");
  auto done = set ? s.cc().call("POST", path, R"({"data": [{"guid": ")" + target->guid + R"("}]})")
                  : s.cc().call("DELETE", path + "/" + target->guid);
  if (!done) return s.fail(done.error());
  s.ui.ok();
  return 0;
}

// Rows of `cf org` and `cf space`: each key with the names PATH lists (or the name of the
// one resource PATH is), sorted and joined with ", "; "" for an empty path.
Result<KeyValues> listed(Session& s, std::vector<std::pair<const char*, std::string>> parts) {
  KeyValues rows;
  for (const auto& [key, path] : parts) {
    std::vector<std::string> names;
    if (!path.empty()) {
      auto doc = s.cc().get(path);
      if (!doc) return std::move(doc).error();
      const json::Value* list = at(*doc, {"resources"});
      if (list == nullptr || !list->IsArray()) {
        names.push_back(str(*doc, "name"));
      } else {
        for (const auto& r : list->GetArray()) names.push_back(str(r, "name"));
      }
    }
    std::sort(names.begin(), names.end());
    std::string value;
    for (const auto& n : names) value += (value.empty() ? "" : ", ") + n;
    rows.emplace_back(key, value);
  }
  return rows;
}

// The path of the quota a resource's relationships.quota names, or "" when none.
std::string quota_path(const json::Value& resource, const Kind& k) {
  const json::Value* guid = at(resource, {"relationships", "quota", "data", "guid"});
  return guid && guid->IsString() ? std::string(k.base) + "/" + guid->GetString() : "";
}

int run_org(Session& s, const Parsed& p) {
  if (!s.require_login()) return 1;
  if (!p.has("guid")) {
    s.ui.say("Getting info for org " + s.ui.cyan(p.arg(0)) + " as " + s.ui.cyan(s.user()) +
             "...\n");
  }
  auto org = lookup_org(s, p.arg(0));
  if (!org) return s.fail(org.error());
  if (p.has("guid")) {
    s.ui.say(org->guid);
    return 0;
  }
  auto full = s.cc().get("/v3/organizations/" + org->guid);
  if (!full) return s.fail(full.error());
  std::string of_org = "per_page=5000&organization_guids=" + org->guid;
  auto rows = listed(s, {{"domains", "/v3/organizations/" + org->guid + "/domains?per_page=5000"},
                         {"quota", quota_path(*full, kOrgQuota)},
                         {"spaces", "/v3/spaces?" + of_org},
                         {"isolation segments", "/v3/isolation_segments?" + of_org}});
  if (!rows) return s.fail(rows.error());
  rows->insert(rows->begin(), {"name", org->name});
  s.ui.key_values(*rows);
  return 0;
}

int run_space(Session& s, const Parsed& p) {
  if (!s.require_org()) return 1;
  if (!p.has("guid")) {
    s.ui.say("Getting info for space " + s.ui.cyan(p.arg(0)) + " in org " +
             s.ui.cyan(s.config.org_name) + " as " + s.ui.cyan(s.user()) + "...\n");
  }
  auto found = lookup_space(s, p.arg(0));
  if (!found) return s.fail(found.error());
  if (p.has("guid")) {
    s.ui.say(found->guid);
    return 0;
  }
  std::string space = "/v3/spaces/" + found->guid;
  auto full = s.cc().get(space);
  if (!full) return s.fail(full.error());
  std::string in_space = "?per_page=5000&space_guids=" + found->guid;
  auto rows =
      listed(s, {{"apps", "/v3/apps" + in_space},
                 {"services", "/v3/service_instances" + in_space},
                 {"quota", quota_path(*full, kSpaceQuota)},
                 {"running security groups", space + "/running_security_groups?per_page=5000"},
                 {"staging security groups", space + "/staging_security_groups?per_page=5000"}});
  if (!rows) return s.fail(rows.error());
  rows->insert(rows->begin(), {{"name", found->name}, {"org", s.config.org_name}});
  // Cupola places every space on the shared isolation segment: none is named.
  rows->insert(rows->begin() + 4, {"isolation segment", ""});
  s.ui.key_values(*rows);
  // Cupola has no security groups, so no rules either.
  if (p.has("security-group-rules")) s.ui.say("\nNo security group rules found.");
  return 0;
}

}  // namespace

void add_quota_commands(std::vector<Command>& out) {
  using Run = int (*)(Session&, const Parsed&, const Kind&);
  for (const Kind* k : {&kOrgQuota, &kSpaceQuota}) {
    const std::string n = k->name, arg = k->org ? "ORG_QUOTA" : "QUOTA";
    // ALIAS is the org quota command's only.
    auto add = [&out, k](const std::string& name, const char* alias, const std::string& summary,
                         const std::string& args, std::vector<FlagSpec> flags, Run run) {
      std::vector<std::string> required;
      if (!args.empty()) required.push_back(args.substr(1, args.find(' ', 1) - 1));
      out.push_back(
          {{.name = name,
            .aliases = k->org ? std::vector<std::string>{alias} : std::vector<std::string>{},
            .summary = summary,
            .usage = "cupola " + name + args,
            .required_args = required,
            .flags = std::move(flags)},
           [k, run](Session& s, const Parsed& p) { return run(s, p, *k); }});
    };
    const std::string unl = " -1 represents an unlimited amount.";
    std::vector<FlagSpec> limits = {
        {"m", 'm', "TOTAL_MEMORY",
         "Total amount of memory all processes can have (e.g. 1024M, 1G, 10G)." + unl},
        {"i", 'i', "INSTANCE_MEMORY",
         "Maximum amount of memory a process can have (e.g. 1024M, 1G, 10G)." + unl},
        {"r", 'r', "ROUTES", "Total number of routes." + unl},
        {"s", 's', "SERVICE_INSTANCES", "Total number of service instances." + unl},
        {"a", 'a', "APP_INSTANCES", "Total number of application instances." + unl},
        {"allow-paid-service-plans", 0, "", "Allow provisioning instances of paid service plans."},
        {"reserved-route-ports", 0, "RESERVED_ROUTE_PORTS",
         "Maximum number of routes that may be created with ports." + unl}};
    const std::string memory = " [-m TOTAL_MEMORY] [-i INSTANCE_MEMORY]",
                      counts =
                          " [-r ROUTES] [-s SERVICE_INSTANCES] [-a APP_INSTANCES] "
                          "[--allow-paid-service-plans",
                      ports = "] [--reserved-route-ports RESERVED_ROUTE_PORTS]";
    const std::string what = k->org ? "organization" : "space", a = k->org ? "an " : "a ";
    add(n + "s", "quotas", "List available " + what + " quotas", "", {}, run_quotas);
    add(n, "quota", k->org ? "Show organization quota" : "Show space quota info", " QUOTA", {},
        run_quota);
    add("create-" + n, "create-quota", "Define a new quota for " + a + what,
        " " + arg + memory + counts + ports, limits, run_create_quota);
    limits.push_back({"n", 'n', "NEW_NAME", "New name"});
    limits.push_back({"disallow-paid-service-plans", 0, "",
                      "Disallow provisioning instances of paid service plans."});
    add("update-" + n, "update-quota", "Update an existing " + what + " quota",
        " QUOTA" + memory + " [-n NEW_NAME]" + counts + " | --disallow-paid-service-plans" + ports,
        limits, run_update_quota);
    add("delete-" + n, "delete-quota", "Delete " + a + what + " quota", " QUOTA [-f]",
        {{"f", 'f', "", "Force deletion without confirmation"}}, run_delete_quota);
  }
  auto apply = [&out](const Kind& k, const char* name, const char* summary, const char* args,
                      bool set) {
    std::string a(args);
    out.push_back(
        {{.name = name,
          .aliases = k.org ? std::vector<std::string>{"set-quota"} : std::vector<std::string>{},
          .summary = summary,
          .usage = std::string("cupola ") + name + " " + a,
          .required_args = {a.substr(0, a.find(' ')), a.substr(a.find(' ') + 1)}},
         [kp = &k, set](Session& s, const Parsed& p) { return run_apply_quota(s, p, *kp, set); }});
  };
  apply(kOrgQuota, "set-org-quota", "Assign a quota to an organization", "ORG QUOTA", true);
  apply(kSpaceQuota, "set-space-quota", "Assign a quota to a space", "SPACE QUOTA", true);
  apply(kSpaceQuota, "unset-space-quota", "Unassign a quota from a space", "SPACE SPACE_QUOTA",
        false);
  out.push_back({{.name = "org",
                  .summary = "Show org info",
                  .usage = "cupola org ORG [--guid]",
                  .required_args = {"ORG"},
                  .flags = {{"guid", 0, "",
                             "Retrieve and display the given org's guid.  All other output for "
                             "the org is suppressed."}}},
                 run_org});
  out.push_back({{.name = "space",
                  .summary = "Show space info",
                  .usage = "cupola space SPACE [--guid] [--security-group-rules]",
                  .required_args = {"SPACE"},
                  .flags = {{"guid", 0, "",
                             "Retrieve and display the given space's guid.  All other output "
                             "for the space is suppressed."},
                            {"security-group-rules", 0, "",
                             "Retrieve the rules for all the security groups associated with "
                             "the space."}}},
                 run_space});
}

}  // namespace cupola::cli
