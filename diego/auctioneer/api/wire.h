#pragma once

// The auctioneer's wire formats (ARCHITECTURE §3): the start requests the BBS posts, the cell
// state a rep answers on diego.rep.<cell_id>.state, and the work sent on
// diego.rep.<cell_id>.perform with the rep's reply. Plain values and JSON codecs; reads collect
// every problem and name the field.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bbs/api/models/start_requests.h"
#include "common/core/result.h"
#include "diego/auction/types.h"

namespace cupola::auctioneer {

// One LRP instance to start, and one task: the BBS's start requests, which are also the
// items of perform work.
using LrpWork = bbs::LrpStartRequest;
using TaskWork = bbs::TaskStartRequest;

// {"lrps": [...], "tasks": [...]}: a perform body, and the rep's reply of what it refused
// ({"failed_lrps": [...], "failed_tasks": [...]}).
struct Work {
  std::vector<LrpWork> lrps;
  std::vector<TaskWork> tasks;
  bool empty() const { return lrps.empty() && tasks.empty(); }
  std::size_t size() const { return lrps.size() + tasks.size(); }
  bool operator==(const Work&) const = default;
};

// An LRP instance or task a cell holds, with what it uses.
struct CellStateLrp {
  std::string process_guid;
  std::int32_t index = 0;
  std::int64_t memory_mb = 0;
  std::int64_t disk_mb = 0;
  bool operator==(const CellStateLrp&) const = default;
};
struct CellStateTask {
  std::string task_guid;
  std::int64_t memory_mb = 0;
  std::int64_t disk_mb = 0;
  bool operator==(const CellStateTask&) const = default;
};

// What a rep reports on diego.rep.<cell_id>.state.
struct CellStateReport {
  std::string cell_id;
  std::string zone;
  std::string rep_url;  // empty when the rep is reached over NATS only
  auction::Resources total;
  auction::Resources available;
  std::vector<CellStateLrp> lrps;
  std::vector<CellStateTask> tasks;
  std::vector<std::string> placement_tags;
  std::vector<std::string> optional_placement_tags;
  bool evacuating = false;
  std::vector<std::string> stacks;
  std::vector<std::string> image_schemes;
  std::vector<std::string> volume_drivers;
  std::int64_t starting_containers = 0;
  bool operator==(const CellStateReport&) const = default;
};

// The scheduler's view of a report.
auction::CellState to_cell_state(const CellStateReport& report);

// NATS subjects of one cell's rep.
std::string state_subject(std::string_view cell_id);
std::string perform_subject(std::string_view cell_id);

// Encoders: compact JSON.
std::string to_json(const CellStateReport& state);
std::string to_json(const Work& work);  // {"lrps":[...],"tasks":[...]}
std::string to_perform_reply_json(
    const Work& failed);  // {"failed_lrps":[...],"failed_tasks":[...]}
std::string lrps_json(const std::vector<LrpWork>& lrps);     // {"lrps":[...]}
std::string tasks_json(const std::vector<TaskWork>& tasks);  // {"tasks":[...]}

// Decoders: InvalidArgument listing every problem (missing or mistyped fields, empty guids,
// negative indices or resources). A missing list is empty, except where `required_key`
// names the one list the body must carry ("lrps" for POST /v1/lrps).
Result<CellStateReport> cell_state_from_json(std::string_view text);
Result<Work> work_from_json(std::string_view text, std::string_view required_key = {});
Result<Work> perform_reply_from_json(std::string_view text);

}  // namespace cupola::auctioneer
