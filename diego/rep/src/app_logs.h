#pragma once

// An instance's output as Loggregator envelopes (ARCHITECTURE §3): each line becomes a log
// envelope for the app's logs (source_id = log_guid, instance_id = index, source_type = the
// streamer's source), published through the loggregator client; app lines ("APP/...") are
// held to the instance's log rate limit with Cloud Foundry's report line.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/core/clock.h"
#include "diego/executor/log_streamer.h"
#include "loggregator/api/log_client.h"
#include "loggregator/api/rate_limiter.h"

namespace cupola::rep {

struct AppLogTarget {
  std::string source_id;                    // the app's log guid
  std::string instance_id;                  // the instance index
  std::uint64_t bytes_per_second = 0;       // 0: unlimited
  std::map<std::string, std::string> tags;  // added to every envelope
};

// `client` and `clock` must outlive the streamer and everything made by with_source().
std::shared_ptr<executor::LogStreamer> make_app_log_streamer(loggregator::LogClient& client,
                                                             const Clock& clock,
                                                             AppLogTarget target,
                                                             std::string source_name);

// Writes everything to both streamers (a log file and the app's logs, say).
std::shared_ptr<executor::LogStreamer> tee(std::shared_ptr<executor::LogStreamer> a,
                                           std::shared_ptr<executor::LogStreamer> b);

}  // namespace cupola::rep
