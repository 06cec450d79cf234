#pragma once

#include <string>
#include <string_view>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/task.h"

namespace cupola::bbs {

// One change on the event stream (GET /v1/events), framed as a server-sent event:
//   id: <n>\nevent: <type>\ndata: <json>\n\n
// The data carries the records: {"desired_lrp": …} for created/removed, {"before": …,
// "after": …} for changed, {"actual_lrp": …} / {"task": …} likewise, and for
// actual_lrp_crashed the flattened keys of the crashed instance plus crash_count,
// crash_reason and since.
struct Event {
  std::string type;
  std::string data;  // JSON object
};

namespace event_types {
inline constexpr std::string_view kDesiredLrpCreated = "desired_lrp_created";
inline constexpr std::string_view kDesiredLrpChanged = "desired_lrp_changed";
inline constexpr std::string_view kDesiredLrpRemoved = "desired_lrp_removed";
inline constexpr std::string_view kActualLrpCreated = "actual_lrp_created";
inline constexpr std::string_view kActualLrpChanged = "actual_lrp_changed";
inline constexpr std::string_view kActualLrpRemoved = "actual_lrp_removed";
inline constexpr std::string_view kActualLrpCrashed = "actual_lrp_crashed";
inline constexpr std::string_view kTaskCreated = "task_created";
inline constexpr std::string_view kTaskChanged = "task_changed";
inline constexpr std::string_view kTaskRemoved = "task_removed";
}  // namespace event_types

Event desired_lrp_created(const DesiredLrp& lrp);
Event desired_lrp_changed(const DesiredLrp& before, const DesiredLrp& after);
Event desired_lrp_removed(const DesiredLrp& lrp);
Event actual_lrp_created(const ActualLrp& lrp);
Event actual_lrp_changed(const ActualLrp& before, const ActualLrp& after);
Event actual_lrp_removed(const ActualLrp& lrp);
// `before` is the instance as it ran (its cell and instance guid); `after` the crashed row.
Event actual_lrp_crashed(const ActualLrp& before, const ActualLrp& after);
Event task_created(const Task& task);
Event task_changed(const Task& before, const Task& after);
Event task_removed(const Task& task);

// The SSE frame of an event with id `id`.
std::string to_sse(const Event& event, std::uint64_t id);

}  // namespace cupola::bbs
