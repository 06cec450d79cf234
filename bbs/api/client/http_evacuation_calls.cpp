// HttpBbsClient's evacuation calls.
#include "bbs/api/client/http_bbs_client.h"
#include "bbs/api/client/wire.h"
#include "bbs/api/codec/codec.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using client_detail::invalid_response;

namespace {

// Opens the body object with "actual_lrp_key" and "actual_lrp_instance_key"; the caller
// adds the rest and closes it.
void start_keys(json::Writer& w, const ActualLrpKey& key, const ActualLrpInstanceKey& ik) {
  w.start_object().key("actual_lrp_key");
  write(w, key);
  w.key("actual_lrp_instance_key");
  write(w, ik);
}

std::string keys_body(const ActualLrpKey& key, const ActualLrpInstanceKey& ik) {
  json::Writer w;
  start_keys(w, key, ik);
  w.end_object();
  return w.str();
}

}  // namespace

asio::awaitable<Result<bool>> HttpBbsClient::evacuation_call(std::string path, std::string body) {
  auto answer = co_await call(path, std::move(body));
  if (!answer) co_return std::move(answer).error();
  json::ObjectReader r(*answer);
  bool keep = false;
  r.required("keep_container", keep);
  if (!r.ok()) co_return invalid_response("POST " + base_url_ + path, r);
  co_return keep;
}

asio::awaitable<Result<bool>> HttpBbsClient::evacuate_claimed_actual_lrp(
    ActualLrpKey key, ActualLrpInstanceKey instance_key) {
  co_return co_await evacuation_call("/v1/actual_lrps/evacuate_claimed",
                                     keys_body(key, instance_key));
}

asio::awaitable<Result<bool>> HttpBbsClient::evacuate_running_actual_lrp(ActualLrpStart running) {
  json::Writer w;
  start_keys(w, running.key, running.instance_key);
  w.key("actual_lrp_net_info");
  write(w, running.net_info);
  w.field("routable", running.routable).field("availability_zone", running.availability_zone);
  w.end_object();
  co_return co_await evacuation_call("/v1/actual_lrps/evacuate_running", w.str());
}

asio::awaitable<Result<bool>> HttpBbsClient::evacuate_stopped_actual_lrp(
    ActualLrpKey key, ActualLrpInstanceKey instance_key) {
  co_return co_await evacuation_call("/v1/actual_lrps/evacuate_stopped",
                                     keys_body(key, instance_key));
}

asio::awaitable<Result<bool>> HttpBbsClient::evacuate_crashed_actual_lrp(
    ActualLrpKey key, ActualLrpInstanceKey instance_key, std::string error_message) {
  json::Writer w;
  start_keys(w, key, instance_key);
  w.field("error_message", error_message).end_object();
  co_return co_await evacuation_call("/v1/actual_lrps/evacuate_crashed", w.str());
}

asio::awaitable<Status> HttpBbsClient::remove_evacuating_actual_lrp(
    ActualLrpKey key, ActualLrpInstanceKey instance_key) {
  co_return co_await command("/v1/actual_lrps/remove_evacuating", keys_body(key, instance_key));
}

}  // namespace cupola::bbs
