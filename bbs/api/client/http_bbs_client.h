#pragma once

#include <string>
#include <string_view>

#include "bbs/api/client/bbs_client.h"
#include "common/http/client/client.h"
#include "common/json/json.h"

namespace cupola::bbs {

// BbsClient over HTTP: each call POSTs its JSON body (written with the BBS codecs) to
// `base_url` + the endpoint's path and reads the answer with the same codecs. Errors as
// BbsClient documents; request timeouts and connection pooling are the http::Client's.
//
// Threading and lifetime: every call must be made, and every awaitable run, on the
// http::Client's executor; `client` must outlive this object and every call in flight.
class HttpBbsClient final : public BbsClient {
 public:
  // `base_url`: "http://host:port" (a trailing slash is ignored).
  HttpBbsClient(http::Client& client, std::string base_url);

  const std::string& base_url() const { return base_url_; }

  // BbsClient: desired LRPs
  boost::asio::awaitable<Status> desire_lrp(DesiredLrp lrp) override;
  boost::asio::awaitable<Status> update_desired_lrp(std::string process_guid,
                                                    DesiredLrpUpdate update) override;
  boost::asio::awaitable<Status> remove_desired_lrp(std::string process_guid) override;
  boost::asio::awaitable<Result<std::vector<DesiredLrp>>> desired_lrps(
      DesiredLrpQuery query) override;
  boost::asio::awaitable<Result<DesiredLrp>> desired_lrp_by_process_guid(
      std::string process_guid) override;

  // BbsClient: actual LRPs
  boost::asio::awaitable<Result<std::vector<ActualLrp>>> actual_lrps(ActualLrpQuery query) override;
  boost::asio::awaitable<Status> claim_actual_lrp(std::string process_guid, std::int32_t index,
                                                  ActualLrpInstanceKey instance_key) override;
  boost::asio::awaitable<Status> start_actual_lrp(ActualLrpStart start) override;
  boost::asio::awaitable<Status> crash_actual_lrp(ActualLrpKey key,
                                                  ActualLrpInstanceKey instance_key,
                                                  std::string error_message) override;
  boost::asio::awaitable<Status> fail_actual_lrp(ActualLrpKey key,
                                                 std::string error_message) override;
  boost::asio::awaitable<Status> remove_actual_lrp(
      std::string process_guid, std::int32_t index,
      std::optional<ActualLrpInstanceKey> instance_key) override;
  boost::asio::awaitable<Status> retire_actual_lrp(ActualLrpKey key) override;

  // BbsClient: evacuation
  boost::asio::awaitable<Result<bool>> evacuate_claimed_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) override;
  boost::asio::awaitable<Result<bool>> evacuate_running_actual_lrp(ActualLrpStart running) override;
  boost::asio::awaitable<Result<bool>> evacuate_stopped_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) override;
  boost::asio::awaitable<Result<bool>> evacuate_crashed_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key, std::string error_message) override;
  boost::asio::awaitable<Status> remove_evacuating_actual_lrp(
      ActualLrpKey key, ActualLrpInstanceKey instance_key) override;

  // BbsClient: tasks
  boost::asio::awaitable<Status> desire_task(std::string task_guid, std::string domain,
                                             TaskDefinition definition) override;
  boost::asio::awaitable<Result<bool>> start_task(std::string task_guid,
                                                  std::string cell_id) override;
  boost::asio::awaitable<Status> complete_task(std::string task_guid, std::string cell_id,
                                               bool failed, std::string failure_reason,
                                               std::string result) override;
  boost::asio::awaitable<Status> fail_task(std::string task_guid,
                                           std::string failure_reason) override;
  boost::asio::awaitable<Status> reject_task(std::string task_guid,
                                             std::string rejection_reason) override;
  boost::asio::awaitable<Status> cancel_task(std::string task_guid) override;
  boost::asio::awaitable<Status> resolving_task(std::string task_guid) override;
  boost::asio::awaitable<Status> resolve_task(std::string task_guid) override;
  boost::asio::awaitable<Result<std::vector<Task>>> tasks(TaskQuery query) override;
  boost::asio::awaitable<Result<Task>> task_by_guid(std::string task_guid) override;

  // BbsClient: cells, domains, locks
  boost::asio::awaitable<Status> heartbeat_cell(CellPresence cell,
                                                std::uint32_t ttl_seconds) override;
  boost::asio::awaitable<Result<std::vector<CellPresence>>> cells() override;
  boost::asio::awaitable<Status> upsert_domain(std::string domain,
                                               std::uint32_t ttl_seconds) override;
  boost::asio::awaitable<Result<std::vector<std::string>>> domains() override;
  boost::asio::awaitable<Status> acquire_lock(std::string key, std::string owner,
                                              std::uint32_t ttl_seconds,
                                              std::string value = {}) override;
  boost::asio::awaitable<Status> release_lock(std::string key, std::string owner) override;
  boost::asio::awaitable<Result<LockRecord>> get_lock(std::string key) override;

  // BbsClient: events
  boost::asio::awaitable<Status> subscribe_events(EventHandler on_event,
                                                  EventSubscriptionOptions options) override;

 private:
  // POSTs `body` to `path` and returns the parsed 2xx answer, or the call's error.
  boost::asio::awaitable<Result<json::Document>> call(std::string path, std::string body);
  // The same for calls whose answer carries nothing but success.
  boost::asio::awaitable<Status> command(std::string path, std::string body);
  // The calls whose body is {"task_guid": ...}.
  boost::asio::awaitable<Status> task_command(std::string path, std::string task_guid);
  // The evacuation calls: POSTs `body` and reads {"keep_container": bool}.
  boost::asio::awaitable<Result<bool>> evacuation_call(std::string path, std::string body);

  http::Client& client_;
  std::string base_url_;
};

}  // namespace cupola::bbs
