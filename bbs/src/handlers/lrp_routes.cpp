#include "bbs/api/codec/codec.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

void add_lrp_routes(http::Router& r, LrpController& c) {
  r.post("/v1/desired_lrps/desire", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    DesiredLrp lrp;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto o = body.object("desired_lrp", true);
      read(o, lrp);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.desire(std::move(lrp)));
  });
  r.post("/v1/desired_lrps/update", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    DesiredLrpUpdate update;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("process_guid", guid);
      auto o = body.object("update", true);
      read(o, update);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.update(std::move(guid), std::move(update)));
  });
  r.post("/v1/desired_lrps/remove", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    auto s = read_body(ctx, [&](json::ObjectReader& body) { body.required("process_guid", guid); });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.remove(std::move(guid)));
  });
  r.post("/v1/desired_lrps/list", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    DesiredLrpFilter filter;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.optional("domain", filter.domain);
      body.optional("process_guids", filter.process_guids);
    });
    if (!s) co_return error_response(s.error());
    auto lrps = co_await c.list_desired(std::move(filter));
    if (!lrps) co_return error_response(lrps.error());
    co_return ok_response(list_json("desired_lrps", *lrps));
  });
  r.post("/v1/desired_lrps/get_by_process_guid",
         [&c](RequestContext& ctx) -> asio::awaitable<Response> {
           std::string guid;
           auto s = read_body(
               ctx, [&](json::ObjectReader& body) { body.required("process_guid", guid); });
           if (!s) co_return error_response(s.error());
           auto lrp = co_await c.get_desired(std::move(guid));
           if (!lrp) co_return error_response(lrp.error());
           co_return ok_response(object_json("desired_lrp", *lrp));
         });

  r.post("/v1/actual_lrps/list", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    ActualLrpFilter filter;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.optional("domain", filter.domain);
      body.optional("cell_id", filter.cell_id);
      body.optional("process_guid", filter.process_guid);
      body.optional("index", filter.index);
    });
    if (!s) co_return error_response(s.error());
    auto lrps = co_await c.list_actual(std::move(filter));
    if (!lrps) co_return error_response(lrps.error());
    co_return ok_response(list_json("actual_lrps", *lrps));
  });
  r.post("/v1/actual_lrps/claim", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    std::int32_t index = 0;
    ActualLrpInstanceKey ik;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("process_guid", guid);
      body.required("index", index);
      auto o = body.object("actual_lrp_instance_key", true);
      read(o, ik);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.claim(std::move(guid), index, std::move(ik)));
  });
  r.post("/v1/actual_lrps/start", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    StartRequest req;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto key = body.object("actual_lrp_key", true);
      read(key, req.key);
      auto ik = body.object("actual_lrp_instance_key", true);
      read(ik, req.instance_key);
      auto net = body.object("actual_lrp_net_info", true);
      read(net, req.net_info);
      body.optional("routable", req.routable);
      body.optional("availability_zone", req.availability_zone);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.start(std::move(req)));
  });
  r.post("/v1/actual_lrps/crash", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    ActualLrpKey key;
    ActualLrpInstanceKey ik;
    std::string message;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto k = body.object("actual_lrp_key", true);
      read(k, key);
      auto i = body.object("actual_lrp_instance_key", true);
      read(i, ik);
      body.optional("error_message", message);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.crash(std::move(key), std::move(ik), std::move(message)));
  });
  r.post("/v1/actual_lrps/fail", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    ActualLrpKey key;
    std::string message;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto k = body.object("actual_lrp_key", true);
      read(k, key);
      body.required("error_message", message);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.fail(std::move(key), std::move(message)));
  });
  r.post("/v1/actual_lrps/remove", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    std::int32_t index = 0;
    std::optional<ActualLrpInstanceKey> ik;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("process_guid", guid);
      body.required("index", index);
      if (body.find("actual_lrp_instance_key")) {
        ActualLrpInstanceKey k;
        auto o = body.object("actual_lrp_instance_key");
        read(o, k);
        ik = k;
      }
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.remove_actual(std::move(guid), index, std::move(ik)));
  });
  r.post("/v1/actual_lrps/retire", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    ActualLrpKey key;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      auto k = body.object("actual_lrp_key", true);
      read(k, key);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.retire(std::move(key)));
  });
}

}  // namespace cupola::bbs
