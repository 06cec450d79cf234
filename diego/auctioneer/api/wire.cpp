#include "diego/auctioneer/api/wire.h"

#include "bbs/api/codec/codec.h"
#include "common/json/json.h"

namespace cupola::auctioneer {
namespace {

void write_strings(json::Writer& w, std::string_view key, const std::vector<std::string>& items) {
  w.key(key).start_array();
  for (const auto& s : items) w.value(s);
  w.end_array();
}

void write(json::Writer& w, std::string_view key, const auction::Resources& r) {
  w.key(key).start_object();
  w.field("memory_mb", static_cast<long long>(r.memory_mb));
  w.field("disk_mb", static_cast<long long>(r.disk_mb));
  w.field("containers", static_cast<long long>(r.containers));
  w.end_object();
}

template <class T>
void write_list(json::Writer& w, std::string_view key, const std::vector<T>& items) {
  w.key(key).start_array();
  for (const auto& i : items) write(w, i);
  w.end_array();
}

void not_empty(json::ObjectReader& r, std::string_view key, const std::string& v) {
  if (r.find(key) && v.empty()) r.problem(key, "must not be empty");
}

void read(json::ObjectReader& r, CellStateLrp& l) {
  r.required("process_guid", l.process_guid);
  r.required("index", l.index);
  r.optional("memory_mb", l.memory_mb);
  r.optional("disk_mb", l.disk_mb);
}

void read(json::ObjectReader& r, CellStateTask& t) {
  r.required("task_guid", t.task_guid);
  r.optional("memory_mb", t.memory_mb);
  r.optional("disk_mb", t.disk_mb);
}

void read(json::ObjectReader& r, auction::Resources& res) {
  r.optional("memory_mb", res.memory_mb);
  r.optional("disk_mb", res.disk_mb);
  r.optional("containers", res.containers);
}

// Reads an array of objects; each element's problems are named "<key>[i].<field>".
template <class T>
void read_list(json::ObjectReader& r, std::string_view key, std::vector<T>& out,
               bool required = false) {
  const json::Value* v = r.find(key);
  if (!v || v->IsNull()) {
    if (required) r.problem(key, "is required");
    return;
  }
  if (!v->IsArray()) {
    r.problem(key, "expected an array, got " + std::string(json::type_name(*v)));
    return;
  }
  out.clear();
  out.reserve(v->Size());
  for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
    json::ObjectReader item((*v)[i], r.path_of(key) + "[" + std::to_string(i) + "]", r);
    T value{};
    read(item, value);
    out.push_back(std::move(value));
  }
}

template <class Fill>
auto decode(std::string_view text, std::string_view what, Fill fill)
    -> Result<std::invoke_result_t<Fill, json::ObjectReader&>> {
  auto doc = json::parse(text);
  if (!doc) return std::move(doc).error();
  json::ObjectReader r(*doc);
  auto value = fill(r);
  if (auto s = r.status(what); !s) return std::move(s).error();
  return value;
}

}  // namespace

auction::CellState to_cell_state(const CellStateReport& s) {
  auction::CellState c;
  c.cell_id = s.cell_id;
  c.zone = s.zone;
  c.total = s.total;
  c.available = s.available;
  c.stacks = s.stacks;
  c.image_schemes = s.image_schemes;
  c.volume_drivers = s.volume_drivers;
  c.placement_tags = s.placement_tags;
  c.optional_placement_tags = s.optional_placement_tags;
  c.evacuating = s.evacuating;
  c.starting_containers = s.starting_containers;
  for (const auto& l : s.lrps) c.lrps.push_back({l.process_guid, l.index});
  for (const auto& t : s.tasks) c.tasks.push_back(t.task_guid);
  return c;
}

std::string state_subject(std::string_view cell_id) {
  return "diego.rep." + std::string(cell_id) + ".state";
}
std::string perform_subject(std::string_view cell_id) {
  return "diego.rep." + std::string(cell_id) + ".perform";
}

std::string to_json(const CellStateReport& s) {
  json::Writer w;
  w.start_object();
  w.field("cell_id", s.cell_id).field("zone", s.zone);
  if (s.rep_url.empty()) {
    w.field("rep_url", nullptr);
  } else {
    w.field("rep_url", s.rep_url);
  }
  write(w, "total", s.total);
  write(w, "available", s.available);
  w.key("lrps").start_array();
  for (const auto& l : s.lrps) {
    w.start_object().field("process_guid", l.process_guid).field("index", l.index);
    w.field("memory_mb", static_cast<long long>(l.memory_mb));
    w.field("disk_mb", static_cast<long long>(l.disk_mb)).end_object();
  }
  w.end_array();
  w.key("tasks").start_array();
  for (const auto& t : s.tasks) {
    w.start_object().field("task_guid", t.task_guid);
    w.field("memory_mb", static_cast<long long>(t.memory_mb));
    w.field("disk_mb", static_cast<long long>(t.disk_mb)).end_object();
  }
  w.end_array();
  write_strings(w, "placement_tags", s.placement_tags);
  write_strings(w, "optional_placement_tags", s.optional_placement_tags);
  w.field("evacuating", s.evacuating);
  write_strings(w, "stacks", s.stacks);
  write_strings(w, "image_schemes", s.image_schemes);
  write_strings(w, "volume_drivers", s.volume_drivers);
  w.field("starting_containers", static_cast<long long>(s.starting_containers));
  w.end_object();
  return w.str();
}

std::string to_json(const Work& work) {
  json::Writer w;
  w.start_object();
  write_list(w, "lrps", work.lrps);
  write_list(w, "tasks", work.tasks);
  w.end_object();
  return w.str();
}

std::string to_perform_reply_json(const Work& failed) {
  json::Writer w;
  w.start_object();
  write_list(w, "failed_lrps", failed.lrps);
  write_list(w, "failed_tasks", failed.tasks);
  w.end_object();
  return w.str();
}

std::string lrps_json(const std::vector<LrpWork>& lrps) {
  json::Writer w;
  w.start_object();
  write_list(w, "lrps", lrps);
  w.end_object();
  return w.str();
}

std::string tasks_json(const std::vector<TaskWork>& tasks) {
  json::Writer w;
  w.start_object();
  write_list(w, "tasks", tasks);
  w.end_object();
  return w.str();
}

Result<CellStateReport> cell_state_from_json(std::string_view text) {
  return decode(text, "cell state", [](json::ObjectReader& r) {
    CellStateReport s;
    r.required("cell_id", s.cell_id);
    not_empty(r, "cell_id", s.cell_id);
    r.optional("zone", s.zone);
    r.optional("rep_url", s.rep_url);
    auto total = r.object("total", true);
    read(total, s.total);
    auto available = r.object("available", true);
    read(available, s.available);
    read_list(r, "lrps", s.lrps);
    read_list(r, "tasks", s.tasks);
    r.optional("placement_tags", s.placement_tags);
    r.optional("optional_placement_tags", s.optional_placement_tags);
    r.optional("evacuating", s.evacuating);
    r.optional("stacks", s.stacks);
    r.optional("image_schemes", s.image_schemes);
    r.optional("volume_drivers", s.volume_drivers);
    r.optional("starting_containers", s.starting_containers);
    return s;
  });
}

Result<Work> work_from_json(std::string_view text, std::string_view required_key) {
  return decode(text, "work", [required_key](json::ObjectReader& r) {
    Work w;
    read_list(r, "lrps", w.lrps, required_key == "lrps");
    read_list(r, "tasks", w.tasks, required_key == "tasks");
    return w;
  });
}

Result<Work> perform_reply_from_json(std::string_view text) {
  return decode(text, "perform reply", [](json::ObjectReader& r) {
    Work w;
    read_list(r, "failed_lrps", w.lrps);
    read_list(r, "failed_tasks", w.tasks);
    return w;
  });
}

}  // namespace cupola::auctioneer
