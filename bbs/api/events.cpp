#include "bbs/api/events.h"

#include "bbs/api/codec/codec.h"

namespace cupola::bbs {
namespace {

template <class T>
Event single(std::string_view type, std::string_view key, const T& record) {
  json::Writer w;
  w.start_object().key(key);
  write(w, record);
  w.end_object();
  return {std::string(type), w.str()};
}

template <class T>
Event pair(std::string_view type, const T& before, const T& after) {
  json::Writer w;
  w.start_object().key("before");
  write(w, before);
  w.key("after");
  write(w, after);
  w.end_object();
  return {std::string(type), w.str()};
}

}  // namespace

Event desired_lrp_created(const DesiredLrp& l) {
  return single(event_types::kDesiredLrpCreated, "desired_lrp", l);
}
Event desired_lrp_changed(const DesiredLrp& b, const DesiredLrp& a) {
  return pair(event_types::kDesiredLrpChanged, b, a);
}
Event desired_lrp_removed(const DesiredLrp& l) {
  return single(event_types::kDesiredLrpRemoved, "desired_lrp", l);
}
Event actual_lrp_created(const ActualLrp& l) {
  return single(event_types::kActualLrpCreated, "actual_lrp", l);
}
Event actual_lrp_changed(const ActualLrp& b, const ActualLrp& a) {
  return pair(event_types::kActualLrpChanged, b, a);
}
Event actual_lrp_removed(const ActualLrp& l) {
  return single(event_types::kActualLrpRemoved, "actual_lrp", l);
}
Event actual_lrp_crashed(const ActualLrp& before, const ActualLrp& after) {
  json::Writer w;
  w.start_object();
  w.field("process_guid", after.key.process_guid).field("index", after.key.index);
  w.field("domain", after.key.domain);
  w.field("instance_guid", before.instance_key.instance_guid);
  w.field("cell_id", before.instance_key.cell_id);
  w.field("crash_count", after.crash_count).field("crash_reason", after.crash_reason);
  w.field("since", static_cast<long long>(after.since));
  w.end_object();
  return {std::string(event_types::kActualLrpCrashed), w.str()};
}
Event task_created(const Task& t) { return single(event_types::kTaskCreated, "task", t); }
Event task_changed(const Task& b, const Task& a) { return pair(event_types::kTaskChanged, b, a); }
Event task_removed(const Task& t) { return single(event_types::kTaskRemoved, "task", t); }

std::string to_sse(const Event& event, std::uint64_t id) {
  std::string out = "id: " + std::to_string(id) + "\nevent: " + event.type + "\ndata: ";
  out += event.data;  // compact JSON holds no raw newlines
  out += "\n\n";
  return out;
}

}  // namespace cupola::bbs
