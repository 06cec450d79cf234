#include "bbs/api/client/http_bbs_client.h"

#include "bbs/api/client/event_stream.h"
#include "bbs/api/client/wire.h"
#include "bbs/api/codec/codec.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using client_detail::answer_of;
using client_detail::body_with;
using client_detail::read_record;
using client_detail::read_records;

HttpBbsClient::HttpBbsClient(http::Client& client, std::string base_url)
    : client_(client), base_url_(std::move(base_url)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

asio::awaitable<Result<json::Document>> HttpBbsClient::call(std::string path, std::string body) {
  std::string url = base_url_ + path;
  auto response = co_await client_.post(url, std::move(body), "application/json");
  if (!response) co_return std::move(response).error();
  co_return answer_of(*response, "POST " + url);
}

asio::awaitable<Status> HttpBbsClient::command(std::string path, std::string body) {
  auto answer = co_await call(std::move(path), std::move(body));
  if (!answer) co_return std::move(answer).error();
  co_return Status{};
}

// Desired LRPs

asio::awaitable<Status> HttpBbsClient::desire_lrp(DesiredLrp lrp) {
  co_return co_await command("/v1/desired_lrps/desire", body_with("desired_lrp", lrp));
}

asio::awaitable<Status> HttpBbsClient::update_desired_lrp(std::string process_guid,
                                                          DesiredLrpUpdate update) {
  json::Writer w;
  w.start_object().field("process_guid", process_guid).key("update");
  write(w, update);
  w.end_object();
  co_return co_await command("/v1/desired_lrps/update", w.str());
}

asio::awaitable<Status> HttpBbsClient::remove_desired_lrp(std::string process_guid) {
  json::Writer w;
  w.start_object().field("process_guid", process_guid).end_object();
  co_return co_await command("/v1/desired_lrps/remove", w.str());
}

asio::awaitable<Result<std::vector<DesiredLrp>>> HttpBbsClient::desired_lrps(
    DesiredLrpQuery query) {
  json::Writer w;
  w.start_object();
  if (query.domain) w.field("domain", *query.domain);
  if (!query.process_guids.empty()) {
    w.key("process_guids").start_array();
    for (const auto& guid : query.process_guids) w.value(guid);
    w.end_array();
  }
  w.end_object();
  const std::string path = "/v1/desired_lrps/list";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  co_return read_records<DesiredLrp>(*answer, "desired_lrps", "POST " + base_url_ + path);
}

asio::awaitable<Result<DesiredLrp>> HttpBbsClient::desired_lrp_by_process_guid(
    std::string process_guid) {
  json::Writer w;
  w.start_object().field("process_guid", process_guid).end_object();
  const std::string path = "/v1/desired_lrps/get_by_process_guid";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  co_return read_record<DesiredLrp>(*answer, "desired_lrp", "POST " + base_url_ + path);
}

// Actual LRPs

asio::awaitable<Result<std::vector<ActualLrp>>> HttpBbsClient::actual_lrps(ActualLrpQuery query) {
  json::Writer w;
  w.start_object();
  if (query.domain) w.field("domain", *query.domain);
  if (query.cell_id) w.field("cell_id", *query.cell_id);
  if (query.process_guid) w.field("process_guid", *query.process_guid);
  if (query.index) w.field("index", *query.index);
  w.end_object();
  const std::string path = "/v1/actual_lrps/list";
  auto answer = co_await call(path, w.str());
  if (!answer) co_return std::move(answer).error();
  co_return read_records<ActualLrp>(*answer, "actual_lrps", "POST " + base_url_ + path);
}

asio::awaitable<Status> HttpBbsClient::claim_actual_lrp(std::string process_guid,
                                                        std::int32_t index,
                                                        ActualLrpInstanceKey instance_key) {
  json::Writer w;
  w.start_object().field("process_guid", process_guid).field("index", index);
  w.key("actual_lrp_instance_key");
  write(w, instance_key);
  w.end_object();
  co_return co_await command("/v1/actual_lrps/claim", w.str());
}

asio::awaitable<Status> HttpBbsClient::start_actual_lrp(ActualLrpStart start) {
  json::Writer w;
  w.start_object().key("actual_lrp_key");
  write(w, start.key);
  w.key("actual_lrp_instance_key");
  write(w, start.instance_key);
  w.key("actual_lrp_net_info");
  write(w, start.net_info);
  w.field("routable", start.routable).field("availability_zone", start.availability_zone);
  w.end_object();
  co_return co_await command("/v1/actual_lrps/start", w.str());
}

asio::awaitable<Status> HttpBbsClient::crash_actual_lrp(ActualLrpKey key,
                                                        ActualLrpInstanceKey instance_key,
                                                        std::string error_message) {
  json::Writer w;
  w.start_object().key("actual_lrp_key");
  write(w, key);
  w.key("actual_lrp_instance_key");
  write(w, instance_key);
  w.field("error_message", error_message).end_object();
  co_return co_await command("/v1/actual_lrps/crash", w.str());
}

asio::awaitable<Status> HttpBbsClient::fail_actual_lrp(ActualLrpKey key,
                                                       std::string error_message) {
  json::Writer w;
  w.start_object().key("actual_lrp_key");
  write(w, key);
  w.field("error_message", error_message).end_object();
  co_return co_await command("/v1/actual_lrps/fail", w.str());
}

asio::awaitable<Status> HttpBbsClient::remove_actual_lrp(
    std::string process_guid, std::int32_t index,
    std::optional<ActualLrpInstanceKey> instance_key) {
  json::Writer w;
  w.start_object().field("process_guid", process_guid).field("index", index);
  if (instance_key) {
    w.key("actual_lrp_instance_key");
    write(w, *instance_key);
  }
  w.end_object();
  co_return co_await command("/v1/actual_lrps/remove", w.str());
}

asio::awaitable<Status> HttpBbsClient::retire_actual_lrp(ActualLrpKey key) {
  co_return co_await command("/v1/actual_lrps/retire", body_with("actual_lrp_key", key));
}

// Events

asio::awaitable<Status> HttpBbsClient::subscribe_events(EventHandler on_event,
                                                        EventSubscriptionOptions options) {
  co_return co_await bbs::subscribe_events(client_, base_url_, std::move(on_event),
                                           std::move(options));
}

}  // namespace cupola::bbs
