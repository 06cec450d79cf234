#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/events.h"
#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/cell.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/task.h"
#include "common/core/result.h"
#include "common/http/client/cancel_token.h"

namespace cupola::bbs {

// Which desired LRPs a list returns; unset or empty fields match everything.
struct DesiredLrpQuery {
  std::optional<std::string> domain;
  std::vector<std::string> process_guids;
};

// Which actual LRP rows a list returns; unset fields match everything.
struct ActualLrpQuery {
  std::optional<std::string> domain;
  std::optional<std::string> cell_id;
  std::optional<std::string> process_guid;
  std::optional<std::int32_t> index;
};

// Which tasks a list returns; unset fields match everything.
struct TaskQuery {
  std::optional<std::string> domain;
  std::optional<std::string> cell_id;
  std::optional<TaskState> state;
};

// A rep's report that an instance it claimed is running and where to reach it.
struct ActualLrpStart {
  ActualLrpKey key;
  ActualLrpInstanceKey instance_key;
  ActualLrpNetInfo net_info;
  bool routable = true;
  std::string availability_zone;
};

// Receives each event as it arrives; return false to end the subscription.
using EventHandler = std::function<bool(const Event& event)>;

struct EventSubscriptionOptions {
  // Fires once the BBS has registered the subscription: every change made after this
  // reaches the handler. A subscriber syncs its view (lists) from here on.
  std::function<void()> on_subscribed;
  // Ends the subscription from outside (any thread) with Errc::Cancelled.
  http::CancelToken cancel;
  // The longest silence tolerated; the BBS sends a keep-alive comment every 15 s.
  std::chrono::milliseconds idle_timeout{60'000};
};

// The BBS API for its callers (rep, auctioneer, route emitter, cloud controller): one
// call per endpoint of ARCHITECTURE §3. Callers depend on this interface so that tests
// can hand them an in-memory fake; HttpBbsClient is the real one.
//
// Errors are values:
//   - the BBS refused the call: a BBS error (bbs_category(), its ErrorType, the server's
//     message), e.g. ResourceNotFound, ResourceExists, InvalidRequest,
//     ActualLRPCannotBeClaimed, InvalidStateTransition, LockCollision;
//   - the BBS could not be reached or the exchange broke: Errc::Unavailable, or
//     Errc::Timeout, with the transport's message naming the method and URL;
//   - the BBS's HTTP layer refused the request itself (too large, malformed):
//     ErrorType::InvalidRequest with its message;
//   - the BBS answered with something that is not its API: ErrorType::InvalidResponse.
//
// Threading is the implementation's (HttpBbsClient: its http::Client's executor).
class BbsClient {
 public:
  virtual ~BbsClient() = default;

  // Desired LRPs. desire: ResourceExists when the process guid is taken.
  virtual boost::asio::awaitable<Status> desire_lrp(DesiredLrp lrp) = 0;
  virtual boost::asio::awaitable<Status> update_desired_lrp(std::string process_guid,
                                                            DesiredLrpUpdate update) = 0;
  virtual boost::asio::awaitable<Status> remove_desired_lrp(std::string process_guid) = 0;
  virtual boost::asio::awaitable<Result<std::vector<DesiredLrp>>> desired_lrps(
      DesiredLrpQuery query) = 0;
  // ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<DesiredLrp>> desired_lrp_by_process_guid(
      std::string process_guid) = 0;

  // Actual LRPs, as the rep drives them through their lifecycle.
  virtual boost::asio::awaitable<Result<std::vector<ActualLrp>>> actual_lrps(
      ActualLrpQuery query) = 0;
  // ActualLRPCannotBeClaimed when another instance holds it.
  virtual boost::asio::awaitable<Status> claim_actual_lrp(std::string process_guid,
                                                          std::int32_t index,
                                                          ActualLrpInstanceKey instance_key) = 0;
  virtual boost::asio::awaitable<Status> start_actual_lrp(ActualLrpStart start) = 0;
  virtual boost::asio::awaitable<Status> crash_actual_lrp(ActualLrpKey key,
                                                          ActualLrpInstanceKey instance_key,
                                                          std::string error_message) = 0;
  // Records a placement failure on an UNCLAIMED instance.
  virtual boost::asio::awaitable<Status> fail_actual_lrp(ActualLrpKey key,
                                                         std::string error_message) = 0;
  // Without an instance key any holder's row goes; with one, only that instance's.
  virtual boost::asio::awaitable<Status> remove_actual_lrp(
      std::string process_guid, std::int32_t index,
      std::optional<ActualLrpInstanceKey> instance_key) = 0;
  virtual boost::asio::awaitable<Status> retire_actual_lrp(ActualLrpKey key) = 0;

  // Evacuation: a draining rep reports each instance on its cell; the answer is whether it
  // keeps the container running. evacuate_running: `running` is the instance as it serves
  // now. evacuate_stopped: ResourceNotFound when the instance holds no row.
  // evacuate_crashed: ActualLRPCannotBeCrashed when another instance holds the row.
  virtual boost::asio::awaitable<Result<bool>> evacuate_claimed_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) = 0;
  virtual boost::asio::awaitable<Result<bool>> evacuate_running_actual_lrp(
      ActualLrpStart running) = 0;
  virtual boost::asio::awaitable<Result<bool>> evacuate_stopped_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) = 0;
  virtual boost::asio::awaitable<Result<bool>> evacuate_crashed_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key, std::string error_message) = 0;
  // Deletes the EVACUATING row: ResourceNotFound when there is none,
  // ActualLRPCannotBeRemoved when it is another instance's.
  virtual boost::asio::awaitable<Status> remove_evacuating_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) = 0;

  // Tasks. desire: ResourceExists when the guid is taken.
  virtual boost::asio::awaitable<Status> desire_task(std::string task_guid, std::string domain,
                                                     TaskDefinition definition) = 0;
  // True only for the call that moved the task from PENDING to RUNNING on `cell_id`; false
  // when it already runs there; InvalidStateTransition when another cell won it.
  virtual boost::asio::awaitable<Result<bool>> start_task(std::string task_guid,
                                                          std::string cell_id) = 0;
  // RunningOnDifferentCell when `cell_id` is not the one running it.
  virtual boost::asio::awaitable<Status> complete_task(std::string task_guid, std::string cell_id,
                                                       bool failed, std::string failure_reason,
                                                       std::string result) = 0;
  virtual boost::asio::awaitable<Status> fail_task(std::string task_guid,
                                                   std::string failure_reason) = 0;
  virtual boost::asio::awaitable<Status> reject_task(std::string task_guid,
                                                     std::string rejection_reason) = 0;
  virtual boost::asio::awaitable<Status> cancel_task(std::string task_guid) = 0;
  virtual boost::asio::awaitable<Status> resolving_task(std::string task_guid) = 0;
  virtual boost::asio::awaitable<Status> resolve_task(std::string task_guid) = 0;
  virtual boost::asio::awaitable<Result<std::vector<Task>>> tasks(TaskQuery query) = 0;
  // ResourceNotFound when there is none.
  virtual boost::asio::awaitable<Result<Task>> task_by_guid(std::string task_guid) = 0;

  // Cell presence: a heartbeat keeps the cell listed for ttl_seconds (0: the BBS's
  // default, kDefaultCellTtlSeconds).
  virtual boost::asio::awaitable<Status> heartbeat_cell(CellPresence cell,
                                                        std::uint32_t ttl_seconds) = 0;
  virtual boost::asio::awaitable<Result<std::vector<CellPresence>>> cells() = 0;

  // Domains are fresh for ttl_seconds after an upsert (0: for ever).
  virtual boost::asio::awaitable<Status> upsert_domain(std::string domain,
                                                       std::uint32_t ttl_seconds) = 0;
  virtual boost::asio::awaitable<Result<std::vector<std::string>>> domains() = 0;

  // Named locks with a TTL: acquiring again refreshes (and replaces `value`, which the holder
  // publishes with the lock, e.g. its URL); LockCollision while another owner holds it.
  // release: ResourceNotFound unless `owner` holds `key`. get_lock: the holder of `key`;
  // ResourceNotFound when nobody holds it or it expired.
  virtual boost::asio::awaitable<Status> acquire_lock(std::string key, std::string owner,
                                                      std::uint32_t ttl_seconds,
                                                      std::string value = {}) = 0;
  virtual boost::asio::awaitable<Status> release_lock(std::string key, std::string owner) = 0;
  virtual boost::asio::awaitable<Result<LockRecord>> get_lock(std::string key) = 0;

  // Streams every change (GET /v1/events) to `on_event`, in the order the BBS made them,
  // until the handler returns false or the BBS ends the stream (both Ok), options.cancel
  // fires (Errc::Cancelled), or the connection fails or falls silent (Errc::Unavailable,
  // Errc::Timeout). A subscriber that needs every change resubscribes and resyncs.
  virtual boost::asio::awaitable<Status> subscribe_events(EventHandler on_event,
                                                          EventSubscriptionOptions options) = 0;
};

}  // namespace cupola::bbs
