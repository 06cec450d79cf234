#include "bbs/api/codec/codec.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {

// The key pair every evacuation call carries.
void read_keys(json::ObjectReader& body, ActualLrpKey& key, ActualLrpInstanceKey& ik) {
  auto k = body.object("actual_lrp_key", true);
  read(k, key);
  auto i = body.object("actual_lrp_instance_key", true);
  read(i, ik);
}

// {"keep_container": bool}, or the call's error.
Response keep_container_response(const Result<bool>& keep) {
  if (!keep) return error_response(keep.error());
  json::Writer w;
  w.start_object().field("keep_container", *keep).end_object();
  return ok_response(w.str());
}

// The calls whose body is just the key pair and whose answer is keep_container.
void add_keys_call(http::Router& r, std::string path, LrpController& c,
                   asio::awaitable<Result<bool>> (LrpController::*call)(ActualLrpKey,
                                                                        ActualLrpInstanceKey)) {
  r.post(path, [&c, call](RequestContext& ctx) -> asio::awaitable<Response> {
    ActualLrpKey key;
    ActualLrpInstanceKey ik;
    auto s = read_body(ctx, [&](json::ObjectReader& body) { read_keys(body, key, ik); });
    if (!s) co_return error_response(s.error());
    co_return keep_container_response(co_await (c.*call)(std::move(key), std::move(ik)));
  });
}

}  // namespace

void add_evacuation_routes(http::Router& r, LrpController& c) {
  add_keys_call(r, "/v1/actual_lrps/evacuate_claimed", c, &LrpController::evacuate_claimed);
  r.post("/v1/actual_lrps/evacuate_running",
         [&c](RequestContext& ctx) -> asio::awaitable<Response> {
           EvacuateRunningRequest req;
           auto s = read_body(ctx, [&](json::ObjectReader& body) {
             read_keys(body, req.key, req.instance_key);
             auto net = body.object("actual_lrp_net_info", true);
             read(net, req.net_info);
             body.optional("routable", req.routable);
             body.optional("availability_zone", req.availability_zone);
           });
           if (!s) co_return error_response(s.error());
           co_return keep_container_response(co_await c.evacuate_running(std::move(req)));
         });
  add_keys_call(r, "/v1/actual_lrps/evacuate_stopped", c, &LrpController::evacuate_stopped);
  r.post("/v1/actual_lrps/evacuate_crashed",
         [&c](RequestContext& ctx) -> asio::awaitable<Response> {
           ActualLrpKey key;
           ActualLrpInstanceKey ik;
           std::string message;
           auto s = read_body(ctx, [&](json::ObjectReader& body) {
             read_keys(body, key, ik);
             body.required("error_message", message);
           });
           if (!s) co_return error_response(s.error());
           co_return keep_container_response(
               co_await c.evacuate_crashed(std::move(key), std::move(ik), std::move(message)));
         });
  r.post("/v1/actual_lrps/remove_evacuating",
         [&c](RequestContext& ctx) -> asio::awaitable<Response> {
           ActualLrpKey key;
           ActualLrpInstanceKey ik;
           auto s = read_body(ctx, [&](json::ObjectReader& body) { read_keys(body, key, ik); });
           if (!s) co_return error_response(s.error());
           co_return answer(co_await c.remove_evacuating(std::move(key), std::move(ik)));
         });
}

}  // namespace cupola::bbs
