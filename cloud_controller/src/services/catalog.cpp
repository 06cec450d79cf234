#include "cloud_controller/src/services/catalog.h"

#include <set>

#include "common/json/json.h"

namespace cupola::cc::services {
namespace {

constexpr std::size_t kMaxServices = 500;
constexpr std::size_t kMaxPlans = 500;

std::string text_of(const json::Value& v, const char* key) {
  return v.HasMember(key) && v[key].IsString() ? v[key].GetString() : "";
}

int flag_of(const json::Value& v, const char* key) {
  if (!v.HasMember(key) || !v[key].IsBool()) return -1;
  return v[key].GetBool() ? 1 : 0;
}

std::string json_of(const json::Value& v, const char* key, const char* fallback) {
  if (!v.HasMember(key) || v[key].IsNull()) return fallback;
  json::Writer w;
  w.value(v[key]);
  return w.str();
}

// A required text member; adds "<what> <field> is required" when missing or blank.
std::string required(const json::Value& v, const char* key, const std::string& what,
                     std::vector<std::string>& problems) {
  std::string s = text_of(v, key);
  if (s.empty()) problems.push_back(what + " " + key + " is required");
  return s;
}

CatalogPlan read_plan(const json::Value& p, const std::string& service,
                      std::vector<std::string>& problems) {
  CatalogPlan plan;
  std::string what = "Service " + service + " plan";
  if (!p.IsObject()) {
    problems.push_back(what + " must be an object");
    return plan;
  }
  plan.id = required(p, "id", what, problems);
  plan.name = required(p, "name", what, problems);
  plan.description = required(p, "description", what, problems);
  int free = flag_of(p, "free");
  plan.free = free != 0;
  plan.bindable = flag_of(p, "bindable");
  plan.plan_updateable = flag_of(p, "plan_updateable");
  if (p.HasMember("maximum_polling_duration") && p["maximum_polling_duration"].IsInt()) {
    plan.maximum_polling_duration = p["maximum_polling_duration"].GetInt();
  }
  plan.metadata_json = json_of(p, "metadata", "{}");
  if (p.HasMember("metadata") && p["metadata"].IsObject()) {
    plan.costs_json = json_of(p["metadata"], "costs", "[]");
  }
  plan.schemas_json = json_of(p, "schemas", "{}");
  return plan;
}

}  // namespace

Result<Catalog> parse_catalog(std::string_view text) {
  auto fail = [](std::vector<std::string> problems) -> Error {
    std::string message = "Service broker catalog is invalid: ";
    for (std::size_t i = 0; i < problems.size() && i < 20; ++i) {
      message += (i ? "; " : "") + problems[i];
    }
    if (problems.size() > 20) message += "; and " + std::to_string(problems.size() - 20) + " more";
    return make_error(Errc::InvalidArgument, message);
  };
  if (text.size() > kMaxCatalogBytes) return fail({"the catalog is larger than 4 MiB"});
  auto doc = json::parse(text, {.max_bytes = kMaxCatalogBytes + 1});
  if (!doc || !doc->IsObject()) return fail({"the broker answered something that is not JSON"});
  if (!doc->HasMember("services") || !(*doc)["services"].IsArray()) {
    return fail({"services must be a list"});
  }
  const auto& list = (*doc)["services"].GetArray();
  if (list.Size() > kMaxServices) return fail({"more than 500 services"});
  Catalog catalog;
  std::vector<std::string> problems;
  std::set<std::string> ids, names;
  for (const auto& s : list) {
    if (!s.IsObject()) {
      problems.push_back("each service must be an object");
      continue;
    }
    CatalogService svc;
    std::string shown = text_of(s, "name").empty() ? "(unnamed)" : text_of(s, "name");
    svc.id = required(s, "id", "Service " + shown, problems);
    svc.name = required(s, "name", "Service " + shown, problems);
    svc.description = required(s, "description", "Service " + shown, problems);
    if (!s.HasMember("bindable") || !s["bindable"].IsBool()) {
      problems.push_back("Service " + shown + " bindable is required (true or false)");
    } else {
      svc.bindable = s["bindable"].GetBool();
    }
    svc.plan_updateable = flag_of(s, "plan_updateable") == 1;
    svc.instances_retrievable = flag_of(s, "instances_retrievable") == 1;
    svc.bindings_retrievable = flag_of(s, "bindings_retrievable") == 1;
    svc.allow_context_updates = flag_of(s, "allow_context_updates") == 1;
    svc.tags_json = json_of(s, "tags", "[]");
    svc.requires_json = json_of(s, "requires", "[]");
    svc.metadata_json = json_of(s, "metadata", "{}");
    if (s.HasMember("metadata") && s["metadata"].IsObject()) {
      svc.shareable = flag_of(s["metadata"], "shareable") == 1;
    }
    if (!svc.id.empty() && !ids.insert(svc.id).second) {
      problems.push_back("Service ids must be unique: " + svc.id);
    }
    if (!svc.name.empty() && !names.insert(svc.name).second) {
      problems.push_back("Service names must be unique within a broker: " + svc.name);
    }
    if (!s.HasMember("plans") || !s["plans"].IsArray() || s["plans"].Empty()) {
      problems.push_back("Service " + shown + " must have at least one plan");
    } else if (s["plans"].Size() > kMaxPlans) {
      problems.push_back("Service " + shown + " has more than 500 plans");
    } else {
      std::set<std::string> plan_names;
      for (const auto& p : s["plans"].GetArray()) {
        CatalogPlan plan = read_plan(p, shown, problems);
        if (!plan.id.empty() && !ids.insert(plan.id).second) {
          problems.push_back("Plan ids must be unique: " + plan.id);
        }
        if (!plan.name.empty() && !plan_names.insert(plan.name).second) {
          problems.push_back("Plan names must be unique within a service: " + shown + " " +
                             plan.name);
        }
        svc.plans.push_back(std::move(plan));
      }
    }
    catalog.services.push_back(std::move(svc));
  }
  if (!problems.empty()) return fail(std::move(problems));
  return catalog;
}

}  // namespace cupola::cc::services
