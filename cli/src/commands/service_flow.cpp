#include "cli/src/commands/service_flow.h"

#include "cli/src/commands/lookup.h"

namespace cupola::cli {
namespace {

using cc::api::url_encode;

Error instance_not_found(const std::string& name) {
  return Error{make_error_code(Errc::NotFound), "Service instance '" + name + "' not found"};
}

std::string plan_guid_of(const json::Value& instance) {
  const json::Value* g = at(instance, {"relationships", "service_plan", "data", "guid"});
  return g != nullptr && g->IsString() ? g->GetString() : "";
}

// One plan's names from the plan's, the offering's and the broker's own endpoints.
PlanNames ask_plan_names(Session& s, const std::string& plan_guid) {
  PlanNames names;
  auto plan = s.cc().get("/v3/service_plans/" + plan_guid);
  if (!plan) return names;
  names.plan = str(*plan, "name");
  const json::Value* o = at(*plan, {"relationships", "service_offering", "data", "guid"});
  if (o == nullptr || !o->IsString()) return names;
  names.offering_guid = o->GetString();
  auto offering = s.cc().get("/v3/service_offerings/" + names.offering_guid);
  if (!offering) return names;
  names.offering = str(*offering, "name");
  const json::Value* b = at(*offering, {"relationships", "service_broker", "data", "guid"});
  if (b == nullptr || !b->IsString()) return names;
  // Brokers are admins' to read; others see the broker's name only through `fields`.
  if (auto broker = s.cc().get(std::string("/v3/service_brokers/") + b->GetString())) {
    names.broker = str(*broker, "name");
  }
  return names;
}

// Appends the items of the array FROM to the array at KEY of the object INTO, made if missing.
void append_all(json::Value& into, const std::string& key, const json::Value& from,
                json::Document::AllocatorType& alloc) {
  if (!into.HasMember(key.c_str())) {
    into.AddMember(json::Value(key.c_str(), alloc), json::Value(rapidjson::kArrayType), alloc);
  }
  for (const auto& item : from.GetArray()) {
    into[key.c_str()].PushBack(json::Value(item, alloc), alloc);
  }
}

}  // namespace

Result<json::Document> lookup_instance(Session& s, const std::string& name) {
  auto found = s.cc().list("/v3/service_instances?names=" + url_encode(name) +
                           "&space_guids=" + s.config.space_guid);
  if (!found) return std::move(found).error();
  if (found->Empty()) return instance_not_found(name);
  json::Document one;
  one.CopyFrom((*found)[0], one.GetAllocator());
  return one;
}

Result<InstanceWithNames> lookup_instance_with_names(Session& s, const std::string& name) {
  auto page = s.cc().get("/v3/service_instances?names=" + url_encode(name) +
                         "&space_guids=" + s.config.space_guid + kPlanFields);
  if (!page) return std::move(page).error();
  const json::Value* resources = at(*page, {"resources"});
  if (resources == nullptr || !resources->IsArray() || resources->Empty()) {
    return instance_not_found(name);
  }
  InstanceWithNames out;
  out.instance.CopyFrom((*resources)[0], out.instance.GetAllocator());
  if (str(out.instance, "type") != "user-provided") {
    std::string plan = plan_guid_of(out.instance);
    PlanIndex index = resolve_plan_names(s, *page, {plan});
    if (auto found = index.find(plan); found != index.end()) out.names = found->second;
  }
  return out;
}

Result<json::Document> list_with_included(Session& s, const std::string& path) {
  json::Document all;
  all.SetObject();
  auto& alloc = all.GetAllocator();
  all.AddMember("resources", json::Value(rapidjson::kArrayType), alloc);
  std::string next = path;
  for (int page = 0; page < 100 && !next.empty(); ++page) {
    auto doc = s.cc().get(next);
    if (!doc) return std::move(doc).error();
    const json::Value* resources = at(*doc, {"resources"});
    if (resources == nullptr || !resources->IsArray()) {
      return Error{make_error_code(Errc::Internal), "The API's list " + path + " has no resources"};
    }
    for (const auto& r : resources->GetArray()) {
      all["resources"].PushBack(json::Value(r, alloc), alloc);
    }
    if (const json::Value* inc = at(*doc, {"included"}); inc != nullptr && inc->IsObject()) {
      if (!all.HasMember("included")) {
        all.AddMember("included", json::Value(rapidjson::kObjectType), alloc);
      }
      for (const auto& m : inc->GetObject()) {
        if (!m.value.IsArray()) continue;
        append_all(all["included"], std::string(m.name.GetString(), m.name.GetStringLength()),
                   m.value, alloc);
      }
    }
    const json::Value* href = at(*doc, {"pagination", "next", "href"});
    next = href != nullptr && href->IsString() ? href->GetString() : "";
  }
  return all;
}

PlanIndex resolve_plan_names(Session& s, const json::Value& page,
                             const std::vector<std::string>& plan_guids) {
  PlanIndex index = plan_index_from_included(page);
  for (const auto& guid : plan_guids) {
    if (guid.empty() || index.count(guid) > 0) continue;
    index[guid] = ask_plan_names(s, guid);
  }
  return index;
}

std::optional<std::string> parameters_flag(Session& s, const Parsed& p, const std::string& command,
                                           int& exit_status) {
  exit_status = 0;
  if (!p.has("c")) return std::nullopt;
  auto parameters = parameters_json(p.value("c"));
  if (!parameters) {
    exit_status = usage_error(s, command, parameters.error().message);
    return std::nullopt;
  }
  return *parameters;
}

Result<Progress> follow_operation(Session& s, const cc::api::Answer& answer, bool wait) {
  if (answer.location.empty()) {
    return answer.status == 202 ? Progress::InProgress : Progress::Done;
  }
  if (wait) {
    s.ui.say("Waiting for the operation to complete...");
    auto done = s.cc().wait_job(answer.location);
    s.ui.say("");
    if (!done) return std::move(done).error();
    return Progress::Done;
  }
  auto job = s.cc().wait_job_accepted(answer.location);
  if (!job) return std::move(job).error();
  switch (job_state(*job)) {
    case JobState::Complete:
      return Progress::Done;
    case JobState::Failed:
      return Error{make_error_code(Errc::Internal), job_error(*job)};
    case JobState::Processing:
      break;
  }
  return Progress::InProgress;
}

}  // namespace cupola::cli
