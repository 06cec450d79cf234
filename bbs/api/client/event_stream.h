#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/client/bbs_client.h"
#include "bbs/api/events.h"
#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/task.h"
#include "common/core/result.h"
#include "common/http/client/client.h"

namespace cupola::bbs {

// GETs `base_url` + "/v1/events" and hands each server-sent event to `on_event` as a
// bbs::Event (its type and JSON data; the decoders below give its records), in the
// order the BBS published them. Returns as BbsClient::subscribe_events documents; a
// non-2xx answer is its BBS error and a 2xx one that is not text/event-stream is
// InvalidResponse. The handler and options.on_subscribed run on the client's executor.
//
// Threading and lifetime as http::Client: call and run it on the client's executor; the
// client must outlive the subscription.
boost::asio::awaitable<Status> subscribe_events(http::Client& client, std::string base_url,
                                                EventHandler on_event,
                                                EventSubscriptionOptions options = {});

// Turns the data of an event from the BBS's stream back into records, so subscribers never
// parse JSON. Each decoder accepts only the event types named beside it: any other type is
// Errc::InvalidArgument (a caller's mistake); data that does not hold the records is
// ErrorType::InvalidResponse listing every problem. Pure; any thread.

// A record as it was and as it is, from a *_changed event.
template <class T>
struct RecordChange {
  T before;
  T after;
};

// An instance that crashed: where it ran, and its crash count and reason afterwards.
struct ActualLrpCrash {
  ActualLrpKey key;
  ActualLrpInstanceKey instance_key;  // the crashed container's, as it ran
  std::int32_t crash_count = 0;
  std::string crash_reason;
  std::int64_t since = 0;  // ns since the epoch
};

// desired_lrp_created, desired_lrp_removed
Result<DesiredLrp> decode_desired_lrp(const Event& event);
// desired_lrp_changed
Result<RecordChange<DesiredLrp>> decode_desired_lrp_change(const Event& event);

// actual_lrp_created, actual_lrp_removed
Result<ActualLrp> decode_actual_lrp(const Event& event);
// actual_lrp_changed
Result<RecordChange<ActualLrp>> decode_actual_lrp_change(const Event& event);
// actual_lrp_crashed
Result<ActualLrpCrash> decode_actual_lrp_crash(const Event& event);

// task_created, task_removed
Result<Task> decode_task(const Event& event);
// task_changed
Result<RecordChange<Task>> decode_task_change(const Event& event);

}  // namespace cupola::bbs
