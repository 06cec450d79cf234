#pragma once

// cupola-router for integration tests: a real router process, an emitter's side of NATS,
// backends in the test process, and the registrations between them.

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "common/testing/nats/nats_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"
#include "test/integration/nats_peer.h"

namespace cupola::test::router {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using http::test::BlockingClient;
using http::test::ServerFixture;

// The emitter's side of NATS.
struct Publisher : NatsPeer {
  explicit Publisher(const std::string& url) : NatsPeer(url, "test-emitter") {}
};

inline constexpr const char* kAppGuid = "5e8e1c5a-0c1f-4f5b-9d8a-2d2b8f0d7c11";

inline std::string registration(const std::string& uri, unsigned short port,
                                const std::string& instance, int ttl = 120, int index = 0) {
  return R"({"host": "127.0.0.1", "port": )" + std::to_string(port) + R"(, "uris": [")" + uri +
         R"("], "app": ")" + kAppGuid + R"(", "private_instance_id": ")" + instance +
         R"(", "private_instance_index": ")" + std::to_string(index) +
         R"(", "stale_threshold_in_seconds": )" + std::to_string(ttl) + "}";
}

// A backend that names itself and echoes what the router told it.
inline std::unique_ptr<ServerFixture> backend(const std::string& name) {
  http::Router r;
  auto handler = [name](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto header = [&](http::bhttp::field f) { return std::string(ctx.request[f]); };
    std::string body = name + " " + std::string(ctx.request.target()) +
                       " xff=" + std::string(ctx.request["X-Forwarded-For"]) +
                       " instance=" + std::string(ctx.request["X-CF-InstanceID"]) +
                       " app=" + std::string(ctx.request["X-CF-ApplicationID"]) +
                       " request_id=" + std::string(ctx.request["X-Vcap-Request-Id"]) +
                       " proto=" + std::string(ctx.request["X-Forwarded-Proto"]) +
                       " host=" + header(http::bhttp::field::host) +
                       " body=" + std::to_string(ctx.request.body().size());
    auto res = http::make_response(http::StatusCode::ok, body, "text/plain");
    if (ctx.request.target() == "/login") {
      res.set(http::bhttp::field::set_cookie, "JSESSIONID=session-1; Path=/; HttpOnly");
    }
    co_return res;
  };
  r.get("/*path", handler);
  r.post("/*path", handler);
  r.get("/", handler);
  return std::make_unique<ServerFixture>(std::move(r));
}

struct RouterProcess {
  unsigned short port = testing::free_tcp_port();
  unsigned short status_port = testing::free_tcp_port();
  testing::ComponentRunner runner;
  // `extra`: more config fields (JSON members).
  explicit RouterProcess(const testing::NatsServer& nats, const std::string& extra = "")
      : runner("cupola-router", "router",
               R"({"address": "127.0.0.1", "port": )" + std::to_string(port) +
                   R"(, "status_address": "127.0.0.1:)" + std::to_string(status_port) +
                   R"(", "nats_servers": [")" + nats.url() +
                   R"("], "threads": 2, "prune_interval": "200ms", "status_user": "admin",
                   "status_password": "secret")" +
                   (extra.empty() ? "" : ", " + extra) + "}") {
    runner.start();
  }

  http::Response get(const std::string& host, const std::string& target = "/",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    BlockingClient client(port);
    http::Request req{http::Verb::get, target, 11};
    req.set(http::bhttp::field::host, host);
    for (const auto& [k, v] : headers) req.set(k, v);
    return client.request(std::move(req));
  }
  http::Response post(const std::string& host, const std::string& target, std::string body) {
    BlockingClient client(port);
    http::Request req{http::Verb::post, target, 11};
    req.set(http::bhttp::field::host, host);
    req.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = std::move(body);
    req.prepare_payload();
    return client.request(std::move(req));
  }
};

template <class F>
bool eventually(F done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);  // polling interval; the deadline bounds the wait
  }
  return done();
}

}  // namespace cupola::test::router
