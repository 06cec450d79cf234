#pragma once

// An Open Service Broker served over HTTP on 127.0.0.1 by the test, with the failure modes
// a platform must survive: it answers provision and bind at once, asynchronously (202, then
// last_operation "in progress" a few times), with a failed last operation, a 500, an answer
// too late, or a body that is not JSON. It records every request it gets.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/base64.h"
#include "test/common/http/server_fixture.h"

namespace cupola::cc::test {

class OsbTestBroker {
 public:
  enum class Mode { sync, async, async_fail, server_error, too_slow, bad_json };

  struct Call {
    std::string method;
    std::string target;  // path and query
    std::string body;
    std::map<std::string, std::string> headers;
  };

  OsbTestBroker() : server_(router()) {}
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

  // How the next provisions (and deprovisions) and binds are answered.
  void set_instance_mode(Mode m) {
    std::lock_guard lock(mu_);
    instance_mode_ = m;
  }
  void set_binding_mode(Mode m) {
    std::lock_guard lock(mu_);
    binding_mode_ = m;
  }
  // The Retry-After (seconds) a 202 and each "in progress" carries; none when negative.
  void set_retry_after(int seconds) {
    std::lock_guard lock(mu_);
    retry_after_ = seconds;
  }
  std::vector<Call> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // The calls whose method is `method` and whose target starts with `prefix`.
  std::vector<Call> calls(const std::string& method, const std::string& prefix) {
    std::vector<Call> out;
    for (auto& c : calls()) {
      if (c.method == method && c.target.starts_with(prefix)) out.push_back(c);
    }
    return out;
  }
  bool has_instance(const std::string& id) {
    std::lock_guard lock(mu_);
    return instances_.contains(id);
  }

  static std::string catalog() {
    return R"({"services": [{"id": "svc-pg", "name": "postgresql", "description": "A database",
      "bindable": true, "tags": ["sql"], "plan_updateable": true, "plans": [
      {"id": "plan-small", "name": "small", "description": "small", "free": true},
      {"id": "plan-large", "name": "large", "description": "large", "free": false},
      {"id": "plan-nobind", "name": "nobind", "description": "no bindings", "free": true,
       "bindable": false}]}]})";
  }

 private:
  using Response = http::Response;
  using Ctx = http::RequestContext;

  static constexpr int kPollsBeforeDone = 2;

  Response json(http::StatusCode status, const std::string& body, bool retry = false) {
    auto res = http::make_response(status, body, "application/json");
    if (retry && retry_after_ >= 0) res.set("Retry-After", std::to_string(retry_after_));
    return res;
  }

  // Records the call; false when its credentials or API version are wrong.
  bool record(Ctx& ctx) {
    Call c;
    c.method = std::string(ctx.request.method_string());
    c.target = std::string(ctx.request.target());
    c.body = ctx.request.body();
    for (const auto& f : ctx.request) {
      c.headers[std::string(f.name_string())] = std::string(f.value());
    }
    bool ok = c.headers["Authorization"] == "Basic " + base64_encode("broker:broker-secret") &&
              c.headers["X-Broker-API-Version"] == "2.17";
    calls_.push_back(std::move(c));
    return ok;
  }

  static boost::asio::awaitable<void> pause(std::chrono::milliseconds d) {
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
    t.expires_after(d);
    co_await t.async_wait(boost::asio::use_awaitable);
  }

  // The answer for a request in `mode` that creates something; "" for done at once.
  boost::asio::awaitable<Response> creating(Mode mode, std::string done_body,
                                            std::string operation) {
    switch (mode) {
      case Mode::server_error:
        co_return json(http::StatusCode::internal_server_error,
                       R"({"error": "Boom", "description": "the disk is full"})");
      case Mode::too_slow:
        co_await pause(std::chrono::milliseconds(2500));
        co_return json(http::StatusCode::created, done_body);
      case Mode::bad_json:
        co_return json(http::StatusCode::created, "this is not json");
      case Mode::async:
      case Mode::async_fail:
        co_return json(http::StatusCode::accepted, R"({"operation": ")" + operation + R"("})",
                       true);
      case Mode::sync:
        break;
    }
    co_return json(http::StatusCode::created, done_body);
  }

  // last_operation: in progress a few times, then the mode's end.
  Response last_operation(const std::string& key, Mode mode, bool gone_when_done) {
    int& polls = polls_[key];
    ++polls;
    if (polls <= kPollsBeforeDone) {
      return json(http::StatusCode::ok, R"({"state": "in progress", "description": "working"})",
                  true);
    }
    if (mode == Mode::async_fail) {
      return json(http::StatusCode::ok,
                  R"({"state": "failed", "description": "no capacity left in the zone"})");
    }
    if (gone_when_done) return json(http::StatusCode::gone, "{}");
    return json(http::StatusCode::ok, R"({"state": "succeeded", "description": "ready"})");
  }

  http::Router router() {
    http::Router r;
    r.get("/v2/catalog", [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
      std::lock_guard lock(mu_);
      if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
      co_return json(http::StatusCode::ok, catalog());
    });
    r.put("/v2/service_instances/:id", [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
      Mode mode;
      std::string id(ctx.params.get("id"));
      {
        std::lock_guard lock(mu_);
        if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
        mode = instance_mode_;
        if (mode == Mode::sync || mode == Mode::async || mode == Mode::too_slow ||
            mode == Mode::bad_json) {
          instances_[id] = ctx.request.body();
        }
        polls_.erase("instance:" + id);
      }
      // Named first: GCC 12 mishandles temporaries in co_await's arguments.
      std::string done = R"({"dashboard_url": "https://dash.test/)" + id + R"("})";
      std::string operation = "provision-" + id;
      co_return co_await creating(mode, std::move(done), std::move(operation));
    });
    r.patch("/v2/service_instances/:id", [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
      std::lock_guard lock(mu_);
      if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
      co_return json(http::StatusCode::ok, "{}");
    });
    r.del("/v2/service_instances/:id", [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
      std::lock_guard lock(mu_);
      if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
      std::string id(ctx.params.get("id"));
      if (instances_.erase(id) == 0) co_return json(http::StatusCode::gone, "{}");
      if (instance_mode_ == Mode::async) {
        polls_.erase("delete:" + id);
        co_return json(http::StatusCode::accepted, R"({"operation": "deprovision"})", true);
      }
      co_return json(http::StatusCode::ok, "{}");
    });
    r.get("/v2/service_instances/:id/last_operation",
          [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
            std::lock_guard lock(mu_);
            if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
            std::string id(ctx.params.get("id"));
            bool deleting = std::string_view(ctx.request.target()).find("operation=deprovision") !=
                            std::string_view::npos;
            co_return last_operation((deleting ? "delete:" : "instance:") + id, instance_mode_,
                                     deleting);
          });
    r.put("/v2/service_instances/:id/service_bindings/:bid",
          [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
            Mode mode;
            {
              std::lock_guard lock(mu_);
              if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
              mode = binding_mode_;
              bindings_[std::string(ctx.params.get("bid"))] = true;
            }
            std::string done = kCredentials;
            std::string operation = "bind";
            co_return co_await creating(mode, std::move(done), std::move(operation));
          });
    r.get("/v2/service_instances/:id/service_bindings/:bid",
          [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
            std::lock_guard lock(mu_);
            if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
            co_return json(http::StatusCode::ok, kCredentials);
          });
    r.get("/v2/service_instances/:id/service_bindings/:bid/last_operation",
          [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
            std::lock_guard lock(mu_);
            if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
            co_return last_operation("binding:" + std::string(ctx.params.get("bid")), binding_mode_,
                                     false);
          });
    r.del("/v2/service_instances/:id/service_bindings/:bid",
          [this](Ctx& ctx) -> boost::asio::awaitable<Response> {
            std::lock_guard lock(mu_);
            if (!record(ctx)) co_return json(http::StatusCode::unauthorized, "{}");
            if (bindings_.erase(std::string(ctx.params.get("bid"))) == 0) {
              co_return json(http::StatusCode::gone, "{}");
            }
            co_return json(http::StatusCode::ok, "{}");
          });
    return r;
  }

  static constexpr const char* kCredentials =
      R"({"credentials": {"uri": "postgres://u:s3cret@127.0.0.1:5432/db", "username": "u",
      "password": "s3cret"}})";

  std::mutex mu_;
  Mode instance_mode_ = Mode::sync;
  Mode binding_mode_ = Mode::sync;
  int retry_after_ = -1;
  std::vector<Call> calls_;
  std::map<std::string, std::string> instances_;  // id → the provision request
  std::map<std::string, bool> bindings_;
  std::map<std::string, int> polls_;
  http::test::ServerFixture server_;
};

}  // namespace cupola::cc::test
