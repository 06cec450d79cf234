#include "cli/src/commands/service_model.h"

#include <rapidjson/prettywriter.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace cupola::cli {
namespace {

const json::Value* member(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* cur = &v;
  for (const char* key : path) {
    if (!cur->IsObject() || !cur->HasMember(key)) return nullptr;
    cur = &(*cur)[key];
  }
  return cur;
}

std::string text_at(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* m = member(v, path);
  return m != nullptr && m->IsString() ? std::string(m->GetString(), m->GetStringLength()) : "";
}

// The array at `key` of the page's "included", or nullptr.
const json::Value* included(const json::Value& page, const char* key) {
  const json::Value* list = member(page, {"included", key});
  return list != nullptr && list->IsArray() ? list : nullptr;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'; }

void write_tags(json::Writer& w, const std::vector<std::string>& tags) {
  w.key("tags").start_array();
  for (const auto& t : tags) w.value(t);
  w.end_array();
}

}  // namespace

Result<std::string> parameters_json(const std::string& value) {
  const Error invalid{make_error_code(Errc::InvalidArgument),
                      "Invalid configuration provided for -c flag. Please provide a valid JSON "
                      "object or path to a file containing a valid JSON object."};
  std::string text = value;
  std::error_code ec;
  // As cf: a path that exists is read (and a directory is an error); anything else is JSON.
  if (std::filesystem::exists(value, ec)) {
    if (std::filesystem::is_directory(value, ec)) return invalid;
    std::ifstream in(value, std::ios::binary);
    if (!in) return invalid;
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto doc = json::parse(text);
  if (!doc || !doc->IsObject()) return invalid;
  return json::to_string(*doc);
}

std::vector<std::string> split_tags(std::string_view value) {
  std::vector<std::string> tags;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    std::size_t end = comma == std::string_view::npos ? value.size() : comma;
    std::string_view tag = value.substr(start, end - start);
    while (!tag.empty() && is_space(tag.front())) tag.remove_prefix(1);
    while (!tag.empty() && is_space(tag.back())) tag.remove_suffix(1);
    if (!tag.empty()) tags.emplace_back(tag);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return tags;
}

std::string last_operation_text(const json::Value& resource) {
  std::string type = text_at(resource, {"last_operation", "type"});
  std::string state = text_at(resource, {"last_operation", "state"});
  return type.empty() || state.empty() ? "" : type + " " + state;
}

PlanIndex plan_index_from_included(const json::Value& page) {
  const json::Value* plans = included(page, "service_plans");
  const json::Value* offerings = included(page, "service_offerings");
  const json::Value* brokers = included(page, "service_brokers");
  PlanIndex index;
  if (plans == nullptr || offerings == nullptr) return index;
  std::map<std::string, std::string> broker_names;
  if (brokers != nullptr) {
    for (const auto& b : brokers->GetArray())
      broker_names[text_at(b, {"guid"})] = text_at(b, {"name"});
  }
  // A page with one offering (`cupola service`) links it without relationships, as cf does.
  bool one_offering = offerings->Size() == 1;
  bool one_broker = broker_names.size() == 1;
  std::map<std::string, PlanNames> by_offering;
  for (const auto& o : offerings->GetArray()) {
    std::string broker_guid = text_at(o, {"relationships", "service_broker", "data", "guid"});
    PlanNames names;
    names.offering = text_at(o, {"name"});
    names.offering_guid = text_at(o, {"guid"});
    if (auto b = broker_names.find(broker_guid); b != broker_names.end()) {
      names.broker = b->second;
    } else if (broker_guid.empty() && one_broker) {
      names.broker = broker_names.begin()->second;
    }
    by_offering[names.offering_guid] = names;
  }
  for (const auto& p : plans->GetArray()) {
    std::string offering_guid = text_at(p, {"relationships", "service_offering", "data", "guid"});
    auto o = by_offering.find(offering_guid);
    if (o == by_offering.end() && offering_guid.empty() && one_offering && plans->Size() == 1) {
      o = by_offering.begin();
    }
    if (o == by_offering.end() || o->second.offering.empty() || o->second.broker.empty()) continue;
    PlanNames names = o->second;
    names.plan = text_at(p, {"name"});
    index[text_at(p, {"guid"})] = names;
  }
  return index;
}

std::map<std::string, std::string> bound_app_names(
    const json::Value& bindings, const std::map<std::string, std::string>& app_names) {
  std::map<std::string, std::string> bound;
  if (!bindings.IsArray()) return bound;
  for (const auto& b : bindings.GetArray()) {
    std::string type = text_at(b, {"type"});
    if (!type.empty() && type != "app") continue;
    auto app = app_names.find(text_at(b, {"relationships", "app", "data", "guid"}));
    if (app == app_names.end()) continue;
    std::string& line = bound[text_at(b, {"relationships", "service_instance", "data", "guid"})];
    line += (line.empty() ? "" : ", ") + app->second;
  }
  return bound;
}

Table services_table(const json::Value& instances, const PlanIndex& plans,
                     const std::map<std::string, std::string>& bound_apps) {
  Table rows = {
      {"name", "offering", "plan", "bound apps", "last operation", "broker", "upgrade available"}};
  if (!instances.IsArray()) return rows;
  for (const auto& i : instances.GetArray()) {
    PlanNames names;
    bool user_provided = text_at(i, {"type"}) == "user-provided";
    if (user_provided) {
      names.offering = "user-provided";
    } else if (auto p = plans.find(text_at(i, {"relationships", "service_plan", "data", "guid"}));
               p != plans.end()) {
      names = p->second;
    }
    auto bound = bound_apps.find(text_at(i, {"guid"}));
    std::string upgrade;
    if (const json::Value* u = member(i, {"upgrade_available"}); u != nullptr && u->IsBool()) {
      upgrade = u->GetBool() ? "yes" : "no";
    }
    rows.push_back({text_at(i, {"name"}), names.offering, names.plan,
                    bound == bound_apps.end() ? "" : bound->second, last_operation_text(i),
                    names.broker, upgrade});
  }
  return rows;
}

std::string create_managed_instance_body(const std::string& name, const std::string& space_guid,
                                         const std::string& plan_guid,
                                         const std::optional<std::string>& parameters,
                                         const std::optional<std::vector<std::string>>& tags) {
  json::Writer w;
  w.start_object().field("type", "managed").field("name", name);
  if (parameters) w.key("parameters").raw(*parameters);
  if (tags) write_tags(w, *tags);
  w.key("relationships").start_object();
  w.key("space").start_object().key("data").start_object().field("guid", space_guid);
  w.end_object().end_object();
  w.key("service_plan").start_object().key("data").start_object().field("guid", plan_guid);
  w.end_object().end_object();
  w.end_object().end_object();
  return w.str();
}

std::string update_managed_instance_body(const std::string& plan_guid,
                                         const std::optional<std::string>& parameters,
                                         const std::optional<std::vector<std::string>>& tags) {
  json::Writer w;
  w.start_object();
  if (parameters) w.key("parameters").raw(*parameters);
  if (tags) write_tags(w, *tags);
  if (!plan_guid.empty()) {
    w.key("relationships").start_object().key("service_plan").start_object();
    w.key("data").start_object().field("guid", plan_guid).end_object();
    w.end_object().end_object();
  }
  w.end_object();
  return w.str();
}

std::string credential_binding_body(const std::string& instance_guid, const std::string& app_guid,
                                    const std::string& name,
                                    const std::optional<std::string>& parameters) {
  json::Writer w;
  w.start_object().field("type", app_guid.empty() ? "key" : "app");
  if (!name.empty()) w.field("name", name);
  if (parameters) w.key("parameters").raw(*parameters);
  w.key("relationships").start_object();
  w.key("service_instance").start_object().key("data").start_object();
  w.field("guid", instance_guid).end_object().end_object();
  if (!app_guid.empty()) {
    w.key("app").start_object().key("data").start_object().field("guid", app_guid);
    w.end_object().end_object();
  }
  w.end_object().end_object();
  return w.str();
}

std::string offering_not_found_text(const std::string& offering, const std::string& broker) {
  if (broker.empty()) return "Service offering '" + offering + "' not found.";
  return "Service offering '" + offering + "' for service broker '" + broker + "' not found.";
}

std::string plan_not_found_text(const std::string& plan, const std::string& offering,
                                const std::string& broker) {
  std::string text =
      "The plan '" + plan + "' could not be found for service offering '" + offering + "'";
  if (!broker.empty()) text += " and broker '" + broker + "'";
  return text + ".";
}

std::string broker_required_text(const std::string& offering) {
  return "Service offering '" + offering +
         "' is provided by multiple service brokers. Specify a broker name by using the '-b' "
         "flag.";
}

JobState job_state(const json::Value& job) {
  std::string state = text_at(job, {"state"});
  if (state == "COMPLETE") return JobState::Complete;
  if (state == "FAILED") return JobState::Failed;
  return JobState::Processing;
}

std::string job_error(const json::Value& job) {
  const json::Value* errors = member(job, {"errors"});
  std::string detail;
  if (errors != nullptr && errors->IsArray() && !errors->Empty()) {
    detail = text_at((*errors)[0], {"detail"});
  }
  return detail.empty() ? "The job failed" : detail;
}

std::string pretty_json(const json::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  w.SetIndent(' ', 2);
  v.Accept(w);
  return {buf.GetString(), buf.GetSize()};
}

std::string indent_lines(std::string_view text, std::string_view prefix) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!out.empty() || start > 0) out += '\n';
    if (!line.empty()) out += std::string(prefix) + std::string(line);
    start = end + 1;
  }
  return out;
}

}  // namespace cupola::cli
