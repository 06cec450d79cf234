#include "bbs/api/codec/codec.h"
#include "bbs/src/handlers/common.h"
#include "bbs/src/handlers/routes.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;

namespace {

// The calls whose body is just {"task_guid": ...}.
void add_guid_call(http::Router& r, std::string path, TaskController& c,
                   asio::awaitable<Status> (TaskController::*call)(std::string)) {
  r.post(path, [&c, call](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    auto s = read_body(ctx, [&](json::ObjectReader& body) { body.required("task_guid", guid); });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await (c.*call)(std::move(guid)));
  });
}

}  // namespace

void add_task_routes(http::Router& r, TaskController& c) {
  r.post("/v1/tasks/desire", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    Task task;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("task_guid", task.task_guid);
      body.required("domain", task.domain);
      auto def = body.object("task_definition", true);
      read(def, task.definition);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.desire(std::move(task)));
  });
  r.post("/v1/tasks/start", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid, cell;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("task_guid", guid);
      body.required("cell_id", cell);
    });
    if (!s) co_return error_response(s.error());
    auto should = co_await c.start(std::move(guid), std::move(cell));
    if (!should) co_return error_response(should.error());
    json::Writer w;
    w.start_object().field("should_start", *should).end_object();
    co_return ok_response(w.str());
  });
  r.post("/v1/tasks/complete", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    TaskCompletion done;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("task_guid", guid);
      body.required("cell_id", done.cell_id);
      body.optional("failed", done.failed);
      body.optional("failure_reason", done.failure_reason);
      body.optional("result", done.result);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.complete(std::move(guid), std::move(done)));
  });
  r.post("/v1/tasks/fail", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid, reason;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("task_guid", guid);
      body.required("failure_reason", reason);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.fail(std::move(guid), std::move(reason)));
  });
  r.post("/v1/tasks/reject", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid, reason;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.required("task_guid", guid);
      body.required("rejection_reason", reason);
    });
    if (!s) co_return error_response(s.error());
    co_return answer(co_await c.reject(std::move(guid), std::move(reason)));
  });
  add_guid_call(r, "/v1/tasks/cancel", c, &TaskController::cancel);
  add_guid_call(r, "/v1/tasks/resolving", c, &TaskController::resolving);
  add_guid_call(r, "/v1/tasks/resolve", c, &TaskController::resolve);
  r.post("/v1/tasks/list", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    TaskFilter filter;
    std::optional<std::string> state;
    auto s = read_body(ctx, [&](json::ObjectReader& body) {
      body.optional("domain", filter.domain);
      body.optional("cell_id", filter.cell_id);
      body.optional("state", state);
      if (state) {
        filter.state = parse_task_state(*state);
        if (!filter.state) body.problem("state", "unknown value \"" + *state + "\"");
      }
    });
    if (!s) co_return error_response(s.error());
    auto tasks = co_await c.list(std::move(filter));
    if (!tasks) co_return error_response(tasks.error());
    co_return ok_response(list_json("tasks", *tasks));
  });
  r.post("/v1/tasks/get_by_task_guid", [&c](RequestContext& ctx) -> asio::awaitable<Response> {
    std::string guid;
    auto s = read_body(ctx, [&](json::ObjectReader& body) { body.required("task_guid", guid); });
    if (!s) co_return error_response(s.error());
    auto task = co_await c.get(std::move(guid));
    if (!task) co_return error_response(task.error());
    co_return ok_response(object_json("task", *task));
  });
}

}  // namespace cupola::bbs
