#include "service_broker/src/handlers.h"

#include "common/json/json.h"
#include "service_broker/src/middleware.h"
#include "service_broker/src/responses.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;
using http::RequestContext;
using http::Response;
using S = http::StatusCode;

namespace {

S status_of(Outcome o) {
  switch (o) {
    case Outcome::Created:
      return S::created;
    case Outcome::Accepted:
      return S::accepted;
    case Outcome::Ok:
      break;
  }
  return S::ok;
}

Response answer(const Result<Answer>& a) {
  if (!a) return error_answer(a.error());
  if (a->outcome != Outcome::Accepted) return empty_object(status_of(a->outcome));
  json::Writer w;
  w.start_object().field("operation", a->operation).end_object();
  return http::json_response(S::accepted, w.str());
}

Response binding_answer(const Result<BindAnswer>& a, const Endpoint& endpoint,
                        bool with_parameters) {
  if (!a) return error_answer(a.error());
  const Binding& b = a->binding;
  json::Writer w;
  w.start_object().key("credentials");
  write_credentials(w, endpoint, a->database, b.username, b.password);
  if (with_parameters) w.key("parameters").raw(b.attributes.parameters);
  w.key("endpoints").start_array().start_object();
  w.field("host", endpoint.hostname);
  w.key("ports").start_array().value(std::to_string(endpoint.port)).end_array();
  w.field("protocol", "tcp");
  w.end_object().end_array();
  w.end_object();
  return http::json_response(status_of(a->outcome), w.str());
}

Response operation_answer(const Result<Operation>& op) {
  if (!op) return error_answer(op.error());
  json::Writer w;
  w.start_object();
  w.field("state", to_string(op->state));
  if (!op->description.empty()) w.field("description", op->description);
  if (op->state == OperationState::Failed) {
    // Only failed updates and deprovisions say whether the instance is still usable.
    if (op->kind == OperationKind::Update) {
      w.field("instance_usable", true).field("update_repeatable", true);
    } else if (op->kind == OperationKind::Deprovision) {
      w.field("instance_usable", false);
    }
  }
  w.end_object();
  auto res = http::json_response(S::ok, w.str());
  if (op->state == OperationState::InProgress) res.set(http::bhttp::field::retry_after, "1");
  return res;
}

Response instance_answer(const Result<Instance>& i) {
  if (!i) return error_answer(i.error());
  json::Writer w;
  w.start_object();
  w.field("service_id", i->attributes.service_id).field("plan_id", i->attributes.plan_id);
  w.key("parameters").raw(i->attributes.parameters);
  w.end_object();
  return http::json_response(S::ok, w.str());
}

std::string param(const RequestContext& ctx, std::string_view name) {
  return std::string(ctx.params.get(name));
}

}  // namespace

http::Router make_router(Broker& b, const Endpoint& endpoint) {
  http::Router r;
  const std::string instance = "/v2/service_instances/:instance_id";
  const std::string binding = instance + "/service_bindings/:binding_id";
  const Endpoint* ep = &endpoint;

  r.get("/v2/catalog", [&b](RequestContext&) -> asio::awaitable<Response> {
    co_return http::json_response(S::ok, b.catalog().to_json());
  });

  r.put(instance, [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    auto req = parse_provision(ctx.request.body(), b.catalog());
    if (!req) co_return error_answer(req.error());
    co_return answer(
        co_await b.provision(param(ctx, "instance_id"), std::move(*req),
                             accepts_incomplete(ctx.query_param("accepts_incomplete"))));
  });
  r.patch(instance, [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    auto req = parse_update(ctx.request.body(), b.catalog());
    if (!req) co_return error_answer(req.error());
    co_return answer(co_await b.update(param(ctx, "instance_id"), std::move(*req),
                                       accepts_incomplete(ctx.query_param("accepts_incomplete"))));
  });
  r.del(instance, [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    auto ok =
        check_delete_query(ctx.query_param("service_id"), ctx.query_param("plan_id"), b.catalog());
    if (!ok) co_return error_answer(ok.error());
    co_return answer(co_await b.deprovision(
        param(ctx, "instance_id"), accepts_incomplete(ctx.query_param("accepts_incomplete"))));
  });
  r.get(instance, [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return instance_answer(co_await b.fetch_instance(param(ctx, "instance_id")));
  });
  r.get(instance + "/last_operation", [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return operation_answer(
        co_await b.last_operation(param(ctx, "instance_id"), ctx.query_param("operation")));
  });

  r.put(binding, [&b, ep](RequestContext& ctx) -> asio::awaitable<Response> {
    auto req = parse_bind(ctx.request.body(), b.catalog());
    if (!req) co_return error_answer(req.error());
    co_return binding_answer(
        co_await b.bind(param(ctx, "instance_id"), param(ctx, "binding_id"), std::move(*req)), *ep,
        false);
  });
  r.del(binding, [&b](RequestContext& ctx) -> asio::awaitable<Response> {
    auto ok =
        check_delete_query(ctx.query_param("service_id"), ctx.query_param("plan_id"), b.catalog());
    if (!ok) co_return error_answer(ok.error());
    auto done = co_await b.unbind(param(ctx, "instance_id"), param(ctx, "binding_id"));
    if (!done) co_return error_answer(done.error());
    co_return empty_object(S::ok);
  });
  r.get(binding, [&b, ep](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return binding_answer(
        co_await b.fetch_binding(param(ctx, "instance_id"), param(ctx, "binding_id")), *ep, true);
  });
  return r;
}

void use_osb_middleware(http::Server& server, const std::string& username,
                        const std::string& password, const log::Logger& log) {
  server.use(request_log(log));
  server.use(basic_auth(username, password));
  server.use(api_version());
}

}  // namespace cupola::pg_broker
