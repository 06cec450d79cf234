#pragma once

// When each step of starting an instance happened on one cell, read back from what the rep
// already writes: its JSON log lines and each container's log file. Pure: text in, times out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::bench {

// One instance's milestones, in Unix nanoseconds; 0 when not seen.
struct InstanceTimes {
  std::string process_guid;
  int index = 0;
  std::string instance_guid;
  std::int64_t created_ns = 0;  // rep.garden-runc.create.created: the container is up
  std::int64_t monitor_ns = 0;  // "Starting health monitoring of container" (container log)
  std::int64_t healthy_ns = 0;  // "Container became healthy" (container log)
  std::int64_t running_ns = 0;  // rep.cell.instance-running: the BBS has it RUNNING
};

// A rep.cell.perform line: the cell accepted work from the auctioneer.
struct Perform {
  std::int64_t at_ns = 0;
  int lrps = 0;
  int refused = 0;
};

struct RepTimeline {
  std::vector<Perform> performs;         // in log order
  std::vector<InstanceTimes> instances;  // one per instance-running line, in log order
};

// Reads the rep's log lines [from, end) for the instances of `process_guid`: every perform
// line that carried LRPs, and for each instance that ran, when its container was created and
// when it was reported running. Lines that are not JSON log lines are skipped.
RepTimeline read_rep_lines(const std::vector<std::string>& lines, std::size_t from,
                           const std::string& process_guid);

// Fills monitor_ns and healthy_ns from a container's log file (JSON lines with a numeric
// "timestamp" in nanoseconds). The first occurrence of each wins.
void read_container_log(std::string_view text, InstanceTimes& times);

// Milliseconds between two milestones; negative when either is missing.
double ms_between(std::int64_t from_ns, std::int64_t to_ns);

// The p-th percentile (0-100, nearest rank) of `values`; 0 when empty.
double percentile(std::vector<double> values, double p);

}  // namespace cupola::bench
