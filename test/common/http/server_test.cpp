#include "common/http/server.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/json/json.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using namespace cupola::http;
using cupola::http::test::BlockingClient;
using cupola::http::test::ServerFixture;
namespace asio = boost::asio;

namespace {

Router echo_router() {
  Router r;
  r.get("/hello/:name", [](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return make_response(StatusCode::ok, "hello " + std::string(ctx.params.get("name")),
                            "text/plain");
  });
  r.post("/echo", [](RequestContext& ctx) -> asio::awaitable<Response> {
    co_return make_response(StatusCode::created, ctx.request.body(), "text/plain");
  });
  r.get("/boom", [](RequestContext&) -> asio::awaitable<Response> {
    throw std::runtime_error("handler bug");
    co_return make_response(StatusCode::ok, "");
  });
  r.get("/slow", [](RequestContext& ctx) -> asio::awaitable<Response> {
    asio::steady_timer t(ctx.executor, std::chrono::milliseconds(300));
    co_await t.async_wait(asio::use_awaitable);
    co_return make_response(StatusCode::ok, "slow done", "text/plain");
  });
  return r;
}

std::string error_message(const Response& res) {
  auto doc = json::parse(res.body());
  REQUIRE(doc.ok());
  return (*doc)["error"]["message"].GetString();
}

}  // namespace

TEST_CASE("the server handles 1,000 keep-alive requests over 10 connections") {
  ServerFixture fx(echo_router());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int c = 0; c < 10; ++c) {
    threads.emplace_back([&, c] {
      BlockingClient client(fx.port());
      for (int i = 0; i < 100; ++i) {
        auto name = std::to_string(c) + "-" + std::to_string(i);
        auto res = client.get("/hello/" + name);
        if (res.result() == StatusCode::ok && res.body() == "hello " + name && res.keep_alive()) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 1000);
  CHECK(fx.server().varz().counter("http.connections.total") == 10);
  CHECK(fx.server().varz().counter("http.requests") == 1000);
}

TEST_CASE("limits and malformed requests get clear errors and the server keeps serving") {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  opts.max_header_bytes = 2048;
  ServerFixture fx(echo_router(), opts);

  SECTION("an oversize body gets 413 before it is read") {
    BlockingClient client(fx.port());
    Request req{Verb::post, "/echo", 11};
    req.body() = std::string(4096, 'x');
    auto res = client.request(req);
    CHECK(res.result() == StatusCode::payload_too_large);
    CHECK(error_message(res).find("exceeds the limit of 1024 bytes") != std::string::npos);
    CHECK_FALSE(res.keep_alive());
  }
  SECTION("an oversize chunked body gets 413") {
    BlockingClient client(fx.port());
    client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk = "800\r\n" + std::string(0x800, 'y') + "\r\n";
    client.send_raw(chunk);
    auto res = client.read();
    CHECK(res.result() == StatusCode::payload_too_large);
  }
  SECTION("a body within the limit is echoed") {
    BlockingClient client(fx.port());
    Request req{Verb::post, "/echo", 11};
    req.body() = std::string(1024, 'z');
    auto res = client.request(req);
    CHECK(res.result() == StatusCode::created);
    CHECK(res.body() == std::string(1024, 'z'));
  }
  SECTION("an oversize header gets 431") {
    BlockingClient client(fx.port());
    Request req{Verb::get, "/hello/x", 11};
    req.set("X-Big", std::string(4096, 'h'));
    auto res = client.request(req);
    CHECK(res.result() == StatusCode::request_header_fields_too_large);
  }
  SECTION("a malformed request gets 400") {
    BlockingClient client(fx.port());
    client.send_raw("THIS IS NOT HTTP\r\n\r\n");
    auto res = client.read();
    CHECK(res.result() == StatusCode::bad_request);
    CHECK(error_message(res).find("malformed request") == 0);
  }
  SECTION("a handler that throws gets 500 and hides the exception") {
    BlockingClient client(fx.port());
    auto res = client.get("/boom");
    CHECK(res.result() == StatusCode::internal_server_error);
    CHECK(res.body().find("handler bug") == std::string::npos);
    CHECK(fx.logs().contains_message("test.http.handler-failed"));
  }
  // After every section's abuse the server still answers.
  BlockingClient after(fx.port());
  auto res = after.get("/hello/again");
  CHECK(res.result() == StatusCode::ok);
  CHECK(res.body() == "hello again");
}

TEST_CASE("routing answers 404 and 405 in the plumbing's error format") {
  ServerFixture fx(echo_router());
  BlockingClient client(fx.port());
  auto nf = client.get("/nowhere");
  CHECK(nf.result() == StatusCode::not_found);
  CHECK(error_message(nf) == "unknown path /nowhere");
  auto na = client.request(Request{Verb::delete_, "/echo", 11});
  CHECK(na.result() == StatusCode::method_not_allowed);
  CHECK(na[bhttp::field::allow] == "POST");
  auto head = client.head("/hello/abc");
  CHECK(head.result() == StatusCode::ok);
  CHECK(head[bhttp::field::content_length] == "9");
  CHECK(head.body().empty());
  auto decoded = client.get("/hello/a%20b");
  CHECK(decoded.body() == "hello a b");
}

TEST_CASE("middleware runs in order and can answer itself; /healthz and /varz bypass it") {
  std::vector<std::string> order;
  ServerFixture fx(echo_router(), {}, [&](Server& s) {
    s.use([&](RequestContext& ctx, const Next& next) -> asio::awaitable<Response> {
      order.push_back("outer");
      if (ctx.request[bhttp::field::authorization] != "bearer ok") {
        co_return error_response(StatusCode::unauthorized, "missing token");
      }
      co_return co_await next(ctx);
    });
    s.use([&](RequestContext& ctx, const Next& next) -> asio::awaitable<Response> {
      order.push_back("inner");
      auto res = co_await next(ctx);
      res.set("X-Inner", "1");
      co_return res;
    });
    s.set_health_check([] { return Status(make_error(Errc::Unavailable, "database down")); });
  });
  BlockingClient client(fx.port());
  auto denied = client.get("/hello/x");
  CHECK(denied.result() == StatusCode::unauthorized);
  Request req{Verb::get, "/hello/x", 11};
  req.set(bhttp::field::authorization, "bearer ok");
  auto allowed = client.request(req);
  CHECK(allowed.result() == StatusCode::ok);
  CHECK(allowed["X-Inner"] == "1");
  CHECK(order == std::vector<std::string>{"outer", "outer", "inner"});

  auto health = client.get("/healthz");
  CHECK(health.result() == StatusCode::service_unavailable);
  CHECK(error_message(health) == "database down");
  auto varz = client.get("/varz");
  CHECK(varz.result() == StatusCode::ok);
  auto doc = json::parse(varz.body());
  REQUIRE(doc.ok());
  CHECK((*doc)["http.requests"].GetInt() == 4);
  CHECK((*doc)["http.responses.4xx"].GetInt() == 1);
  CHECK((*doc)["http.responses.5xx"].GetInt() == 1);
  CHECK((*doc)["http.connections.open"].GetInt() == 1);
  CHECK(order.size() == 3);  // health and varz skipped the middleware
}

TEST_CASE("streamed responses arrive chunk by chunk") {
  Router r;
  r.get("/events", [](RequestContext& ctx) -> asio::awaitable<Response> {
    Response head{StatusCode::ok, 11};
    head.set(bhttp::field::content_type, "text/event-stream");
    if (!co_await ctx.start_stream(std::move(head))) co_return Response{};
    for (int i = 0; i < 3; ++i) {
      if (!co_await ctx.write_chunk("data: " + std::to_string(i) + "\n\n")) break;
    }
    co_return Response{};
  });
  ServerFixture fx(std::move(r));
  BlockingClient client(fx.port());
  auto res = client.get("/events");
  CHECK(res.result() == StatusCode::ok);
  CHECK(res[bhttp::field::content_type] == "text/event-stream");
  CHECK(res.chunked());
  CHECK(res.body() == "data: 0\n\ndata: 1\n\ndata: 2\n\n");
}

TEST_CASE("a WebSocket upgrade: messages both ways, the subprotocol, a normal close") {
  Router r;
  r.get("/ws", [](RequestContext& ctx) -> asio::awaitable<Response> {
    if (!is_websocket_upgrade(ctx.request)) {
      co_return error_response(StatusCode::bad_request, "not an upgrade");
    }
    if (!co_await ctx.start_websocket("test.v1")) co_return Response{};
    for (int i = 0; i < 3; ++i) {
      if (!co_await ctx.send_message("message " + std::to_string(i))) co_return Response{};
    }
    // One message from the peer, then the server closes.
    co_await ctx.receive_message();
    co_await ctx.send_message("bye");
    co_return Response{};
  });
  ServerFixture fx(std::move(r));

  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), fx.port()});
  boost::beast::websocket::stream<asio::ip::tcp::socket&> ws(socket);
  boost::beast::websocket::response_type handshake;
  ws.set_option(boost::beast::websocket::stream_base::decorator(
      [](boost::beast::websocket::request_type& req) {
        req.set(bhttp::field::sec_websocket_protocol, "test.v1");
      }));
  ws.handshake(handshake, "127.0.0.1", "/ws");
  CHECK(handshake[bhttp::field::sec_websocket_protocol] == "test.v1");
  boost::beast::flat_buffer buf;
  std::vector<std::string> got;
  for (int i = 0; i < 3; ++i) {
    buf.clear();
    ws.read(buf);
    got.push_back(boost::beast::buffers_to_string(buf.data()));
  }
  CHECK(got == std::vector<std::string>{"message 0", "message 1", "message 2"});
  ws.write(asio::buffer(std::string("hello")));
  buf.clear();
  ws.read(buf);
  CHECK(boost::beast::buffers_to_string(buf.data()) == "bye");
  buf.clear();
  boost::system::error_code ec;
  ws.read(buf, ec);
  CHECK(ec == boost::beast::websocket::error::closed);
  CHECK(ws.reason().code == boost::beast::websocket::close_code::normal);

  // A plain request to the same route is no upgrade.
  BlockingClient client(fx.port());
  CHECK(client.get("/ws").result() == StatusCode::bad_request);
}

TEST_CASE("stop drains: requests in flight finish, idle connections close, no new ones") {
  ServerFixture fx(echo_router());
  BlockingClient idle(fx.port());
  CHECK(idle.get("/hello/idle").result() == StatusCode::ok);

  BlockingClient busy(fx.port());
  Request req{Verb::get, "/slow", 11};
  req.set(bhttp::field::host, "x");
  bhttp::write(busy.socket(), req);
  // The slow handler is running once the server counts its request.
  for (int i = 0; i < 500 && fx.server().varz().counter("http.requests") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  REQUIRE(fx.server().varz().counter("http.requests") == 2);
  fx.request_stop();

  auto res = busy.read();
  CHECK(res.result() == StatusCode::ok);
  CHECK(res.body() == "slow done");
  CHECK_FALSE(res.keep_alive());
  CHECK(idle.closed_by_server());
  CHECK(fx.run_finished_within(std::chrono::seconds(5)));
  BlockingClient* late = nullptr;
  CHECK_THROWS(late = new BlockingClient(fx.port()));
  delete late;
}

TEST_CASE("an idle keep-alive connection is closed after the idle timeout") {
  ServerOptions opts;
  opts.idle_timeout = std::chrono::milliseconds(100);
  ServerFixture fx(echo_router(), opts);
  BlockingClient client(fx.port());
  CHECK(client.get("/hello/x").result() == StatusCode::ok);
  auto start = std::chrono::steady_clock::now();
  CHECK(client.closed_by_server());
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}
