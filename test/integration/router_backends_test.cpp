// cupola-router end to end against backends that misbehave or are slow: least-connection
// balancing, the answers to timeouts on either side, and kept-alive connections a backend
// closes while they sit idle.
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <future>
#include <mutex>
#include <set>

#include "test/integration/router_fixture.h"

using namespace cupola;
using namespace cupola::test::router;

namespace {

using asio::ip::tcp;

// A backend on plain sockets, one thread per connection, for behaviour an HTTP server library
// would not show: answering and then closing, or never answering. The destructor shuts every
// connection down and joins.
class RawBackend {
 public:
  using Handler = std::function<void(tcp::socket&)>;
  explicit RawBackend(Handler handler)
      : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), handler_(std::move(handler)) {
    accept_thread_ = std::thread([this] {
      for (int i = 0; i < 100; ++i) {  // bounded: no test here opens more
        boost::system::error_code ec;
        auto socket = std::make_shared<tcp::socket>(acceptor_.accept(ec));
        if (ec) return;
        std::lock_guard lock(mu_);
        sockets_.push_back(socket);
        threads_.emplace_back([this, socket] { handler_(*socket); });
      }
    });
  }
  ~RawBackend() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ec;
    acceptor_.close(ec);
    accept_thread_.join();
    std::lock_guard lock(mu_);
    for (auto& s : sockets_) ::shutdown(s->native_handle(), SHUT_RDWR);
    for (auto& t : threads_) t.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  int connections() {
    std::lock_guard lock(mu_);
    return static_cast<int>(sockets_.size());
  }

  // Reads one request head (and a Content-Length body); false at EOF or error.
  static bool read_request(tcp::socket& socket) {
    std::string data;
    char buf[4096];
    boost::system::error_code ec;
    while (data.find("\r\n\r\n") == std::string::npos) {
      auto n = socket.read_some(asio::buffer(buf), ec);
      if (ec || n == 0) return false;
      data.append(buf, n);
    }
    std::size_t body = 0;
    if (auto at = data.find("Content-Length: "); at != std::string::npos) {
      body = std::stoul(data.substr(at + 16));
    }
    std::size_t have = data.size() - data.find("\r\n\r\n") - 4;
    while (have < body) {
      auto n = socket.read_some(asio::buffer(buf), ec);
      if (ec || n == 0) return false;
      have += n;
    }
    return true;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  Handler handler_;
  std::thread accept_thread_;
  std::mutex mu_;
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
  std::vector<std::thread> threads_;
};

// An HTTP backend naming itself; /slow answers after `delay` and counts in `slow_started`.
std::unique_ptr<ServerFixture> slow_backend(const std::string& name,
                                            std::chrono::milliseconds delay,
                                            std::atomic<int>& slow_started) {
  http::Router r;
  auto handler = [name, delay,
                  &slow_started](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    if (ctx.request.target() == "/slow") {
      ++slow_started;
      asio::steady_timer timer(co_await asio::this_coro::executor, delay);
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return http::make_response(http::StatusCode::ok, name, "text/plain");
  };
  r.get("/*path", handler);
  r.get("/", handler);
  return std::make_unique<ServerFixture>(std::move(r));
}

// Raw HTTP/1.1 exchange: writes `request`, then reads until the connection closes or
// `timeout` passes. Returns what came back.
std::string exchange(unsigned short port, const std::string& request,
                     std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(request));
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::recv(socket.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

TEST_CASE("least-connection sends requests to the backend with the fewest in flight") {
  testing::NatsServer nats;
  Publisher emitter(nats.url());
  RouterProcess router(nats, R"("load_balancing": "least-connection")");
  std::atomic<int> slow_started{0};
  auto a = slow_backend("backend-a", 1500ms, slow_started);
  auto b = slow_backend("backend-b", 1500ms, slow_started);
  emitter.publish("router.register", registration("lc.test", a->port(), "inst-a"));
  emitter.publish("router.register", registration("lc.test", b->port(), "inst-b"));
  REQUIRE(eventually(
      [&] {
        std::set<std::string> seen;
        for (int i = 0; i < 4; ++i) seen.insert(router.get("lc.test").body());
        return seen.size() == 2;
      },
      5s));

  // One slow request holds a connection on one backend; every quick one meanwhile goes to the
  // other, where round-robin would alternate.
  auto slow = std::async(std::launch::async, [&] { return router.get("lc.test", "/slow"); });
  REQUIRE(eventually([&] { return slow_started.load() == 1; }, 1s));
  std::vector<std::string> quick;
  for (int i = 0; i < 6; ++i) quick.push_back(router.get("lc.test").body());
  auto held = slow.get().body();
  REQUIRE((held == "backend-a" || held == "backend-b"));
  std::string other = held == "backend-a" ? "backend-b" : "backend-a";
  for (const auto& body : quick) CHECK(body == other);
}

TEST_CASE("timeouts: 504 for a backend that does not answer, 408 for a stalled body") {
  testing::NatsServer nats;
  Publisher emitter(nats.url());
  RouterProcess router(nats, R"("endpoint_timeout": "500ms", "request_head_timeout": "500ms")");
  std::atomic<int> silent_requests{0};
  RawBackend silent([&](tcp::socket& s) {
    while (RawBackend::read_request(s)) ++silent_requests;  // reads, never answers
  });
  auto echo = backend("echo");
  emitter.publish("router.register", registration("silent.test", silent.port(), "inst-s"));
  emitter.publish("router.register", registration("echo.test", echo->port(), "inst-e"));
  REQUIRE(eventually([&] { return router.get("echo.test").result_int() == 200; }, 5s));

  SECTION("a backend that never answers gets 504 after endpoint_timeout, and no retry") {
    auto started = std::chrono::steady_clock::now();
    auto res = router.get("silent.test");
    auto took = std::chrono::steady_clock::now() - started;
    CHECK(res.result_int() == 504);
    CHECK(res["X-Cf-Routererror"] == "endpoint_failure (context deadline exceeded)");
    CHECK(res.body() == "504 Gateway Timeout: Registered endpoint did not respond in time.\n");
    CHECK(took >= 450ms);
    CHECK(took < 5s);
    CHECK(silent_requests.load() == 1);
  }
  SECTION("a client that stops sending its body gets 408 and the connection closes") {
    std::string reply = exchange(router.port,
                                 "POST /upload HTTP/1.1\r\nHost: echo.test\r\n"
                                 "Content-Length: 100\r\n\r\nonly ten b",
                                 5s);
    CHECK(reply.starts_with("HTTP/1.1 408 Request Timeout\r\n"));
    CHECK(reply.find("X-Cf-Routererror: request_timeout\r\n") != std::string::npos);
    CHECK(reply.find("Connection: close\r\n") != std::string::npos);
  }
  SECTION("a client that never finishes its head is disconnected without an answer") {
    auto started = std::chrono::steady_clock::now();
    std::string reply = exchange(router.port, "GET / HTTP/1.1\r\nHost: echo.te", 5s);
    CHECK(reply.empty());
    CHECK(std::chrono::steady_clock::now() - started < 4s);
  }
}

TEST_CASE("a kept-alive backend connection closed while idle costs the client nothing") {
  testing::NatsServer nats;
  Publisher emitter(nats.url());
  RouterProcess router(nats);
  // Answers one request per connection as if it would keep it (no "Connection: close"), then
  // closes it a moment later: the router's idle copy is dead when the next request comes.
  std::atomic<int> answered{0};
  RawBackend closing([&](tcp::socket& s) {
    if (!RawBackend::read_request(s)) return;
    boost::system::error_code ec;
    std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    ++answered;
    asio::write(s, asio::buffer(reply), ec);
    std::this_thread::sleep_for(20ms);  // the answer is read before the close
    ::shutdown(s.native_handle(), SHUT_RDWR);
  });
  emitter.publish("router.register", registration("closing.test", closing.port(), "inst-c"));
  REQUIRE(eventually([&] { return router.get("closing.test").result_int() == 200; }, 5s));

  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(60ms);  // the backend's close lands between requests
    auto res =
        i % 2 == 0 ? router.get("closing.test") : router.post("closing.test", "/form", "a=1&b=2");
    INFO("request " << i);
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "ok");
  }
  CHECK(answered.load() >= 9);
}
