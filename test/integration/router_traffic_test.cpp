// cupola-router end to end: what crosses it: instance targeting, sticky sessions, upgrades,
// TLS, bulk bodies and a drain.
#include <sys/socket.h>

#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <future>

#include "test/integration/router_fixture.h"

using namespace cupola;
using namespace cupola::test::router;

namespace {

// A backend that accepts one upgrade, answers 101 and then echoes raw bytes: enough to show
// the router tunnels both ways once the protocol switched.
class UpgradeEcho {
 public:
  UpgradeEcho() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      auto socket = acceptor_.accept(ec);
      if (ec) return;
      std::string head;
      char c;
      while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192 &&
             asio::read(socket, asio::buffer(&c, 1), ec) == 1) {
        head += c;
      }
      upgrade_request_ = head;
      asio::write(socket,
                  asio::buffer(std::string("HTTP/1.1 101 Switching Protocols\r\n"
                                           "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n")),
                  ec);
      char buf[1024];
      for (int i = 0; i < 1000 && !ec; ++i) {
        auto n = socket.read_some(asio::buffer(buf), ec);
        if (ec || n == 0) break;
        asio::write(socket, asio::buffer(buf, n), ec);
      }
    });
  }
  ~UpgradeEcho() {
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  std::string upgrade_request() const { return upgrade_request_; }

 private:
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::string upgrade_request_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("the router targets instances, keeps sessions sticky and tunnels upgrades") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  auto a = backend("backend-a");
  auto b = backend("backend-b");
  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a", 120, 0));
  emitter.publish("router.register", registration("app.example.com", b->port(), "inst-b", 120, 1));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));
  std::this_thread::sleep_for(100ms);  // both registrations published (one snapshot interval)

  SECTION("X-Cf-App-Instance picks the instance, or answers 400") {
    for (int i = 0; i < 5; ++i) {
      auto r =
          router.get("app.example.com", "/", {{"X-Cf-App-Instance", std::string(kAppGuid) + ":1"}});
      CHECK(r.body().find("backend-b") == 0);
    }
    auto missing =
        router.get("app.example.com", "/", {{"X-Cf-App-Instance", std::string(kAppGuid) + ":7"}});
    CHECK(missing.result_int() == 400);
    CHECK(missing["X-Cf-Routererror"] == "unknown_route");
    auto bad = router.get("app.example.com", "/", {{"X-Cf-App-Instance", "not-a-guid"}});
    CHECK(bad.result_int() == 400);
  }
  SECTION("a JSESSIONID makes the router set __VCAP_ID__, which brings the client back") {
    auto login = router.get("app.example.com", "/login");
    std::string cookies;
    for (const auto& f : login) {
      if (f.name() == http::bhttp::field::set_cookie) cookies += std::string(f.value()) + "\n";
    }
    INFO(cookies);
    std::string instance = login.body().find("backend-a") == 0 ? "inst-a" : "inst-b";
    REQUIRE(cookies.find("__VCAP_ID__=" + instance) != std::string::npos);
    for (int i = 0; i < 6; ++i) {
      auto r = router.get("app.example.com", "/",
                          {{"Cookie", "JSESSIONID=session-1; __VCAP_ID__=" + instance}});
      CHECK(r.body().find(instance == "inst-a" ? "backend-a" : "backend-b") == 0);
    }
    // A gone instance falls back silently.
    auto r = router.get("app.example.com", "/", {{"Cookie", "JSESSIONID=x; __VCAP_ID__=gone"}});
    CHECK(r.result_int() == 200);
  }
  SECTION("a WebSocket upgrade is tunnelled both ways") {
    UpgradeEcho echo;
    emitter.publish("router.register", registration("ws.example.com", echo.port(), "inst-ws"));
    REQUIRE(eventually([&] { return router.get("nope.example.com").result_int() == 404; }, 1s));
    std::this_thread::sleep_for(100ms);
    BlockingClient client(router.port);
    std::string upgrade =
        "GET /socket HTTP/1.1\r\nHost: ws.example.com\r\nConnection: Upgrade\r\n"
        "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    asio::write(client.socket(), asio::buffer(upgrade));
    std::string got;
    char c;
    while (got.find("\r\n\r\n") == std::string::npos && got.size() < 4096) {
      asio::read(client.socket(), asio::buffer(&c, 1));
      got += c;
    }
    INFO(got);
    CHECK(got.find("HTTP/1.1 101") == 0);
    asio::write(client.socket(), asio::buffer(std::string("hello through the tunnel")));
    std::string echoed(24, '\0');
    asio::read(client.socket(), asio::buffer(echoed.data(), echoed.size()));
    CHECK(echoed == "hello through the tunnel");
    CHECK(echo.upgrade_request().find("Upgrade: websocket") != std::string::npos);
  }
}

namespace {

// A backend on its own thread for bulk transfers: GET streams `bytes` zeros with a
// Content-Length; POST reads the whole body and answers with the count it read.
class BulkBackend {
 public:
  explicit BulkBackend(std::uint64_t bytes)
      : bytes_(bytes), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      for (int connections = 0; connections < 4; ++connections) {
        boost::system::error_code ec;
        auto socket = acceptor_.accept(ec);
        if (ec) return;
        serve(socket);
      }
    });
  }
  ~BulkBackend() {
    // Closing alone does not wake a blocked accept(); shutting the socket down does.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    boost::system::error_code ec;
    acceptor_.close(ec);
    thread_.join();
  }
  unsigned short port() const { return acceptor_.local_endpoint().port(); }

 private:
  void serve(asio::ip::tcp::socket& socket) {
    boost::system::error_code ec;
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384 &&
           asio::read(socket, asio::buffer(&c, 1), ec) == 1) {
      head += c;
    }
    std::vector<char> buf(1 << 16);
    if (head.starts_with("GET")) {
      std::string res = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(bytes_) + "\r\n\r\n";
      asio::write(socket, asio::buffer(res), ec);
      for (std::uint64_t sent = 0; sent < bytes_ && !ec;) {
        auto n = std::min<std::uint64_t>(buf.size(), bytes_ - sent);
        asio::write(socket, asio::buffer(buf.data(), n), ec);
        sent += n;
      }
    } else {
      auto at = head.find("Content-Length: ");
      std::uint64_t want = at == std::string::npos ? 0 : std::stoull(head.substr(at + 16));
      std::uint64_t got = 0;
      while (got < want && !ec) got += socket.read_some(asio::buffer(buf), ec);
      std::string body = std::to_string(got);
      std::string res =
          "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      asio::write(socket, asio::buffer(res), ec);
    }
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  }

  std::uint64_t bytes_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

std::int64_t rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) return std::stoll(line.substr(6));
  }
  return 0;
}

}  // namespace

TEST_CASE("a 1 GiB download and upload stream through the router with flat memory") {
  constexpr std::uint64_t kGiB = 1ull << 30;
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  BulkBackend bulk(kGiB);
  emitter.publish("router.register", registration("bulk.example.com", bulk.port(), "inst-bulk"));
  REQUIRE(eventually([&] { return router.get("nope.example.com").result_int() == 404; }, 2s));
  std::this_thread::sleep_for(100ms);  // one publish interval
  pid_t pid = router.runner.process().pid();
  std::int64_t before = rss_kb(pid);
  std::int64_t peak = before;

  SECTION("download") {
    BlockingClient client(router.port);
    std::string req = "GET /big HTTP/1.1\r\nHost: bulk.example.com\r\n\r\n";
    asio::write(client.socket(), asio::buffer(req));
    std::vector<char> buf(1 << 16);
    std::uint64_t total = 0;
    std::string head;
    boost::system::error_code ec;
    auto deadline = std::chrono::steady_clock::now() + 120s;
    while (!ec && std::chrono::steady_clock::now() < deadline) {
      auto n = client.socket().read_some(asio::buffer(buf), ec);
      if (head.find("\r\n\r\n") == std::string::npos) {
        head.append(buf.data(), n);
        auto end = head.find("\r\n\r\n");
        if (end != std::string::npos) total += head.size() - (end + 4);
      } else {
        total += n;
      }
      if (total >= kGiB) break;
      if ((total >> 20) % 64 == 0) peak = std::max(peak, rss_kb(pid));
    }
    INFO(head.substr(0, head.find("\r\n\r\n")));
    CHECK(head.starts_with("HTTP/1.1 200"));
    CHECK(total == kGiB);
  }
  SECTION("upload") {
    BlockingClient client(router.port);
    std::string req =
        "POST /big HTTP/1.1\r\nHost: bulk.example.com\r\nContent-Length: " + std::to_string(kGiB) +
        "\r\n\r\n";
    asio::write(client.socket(), asio::buffer(req));
    std::vector<char> buf(1 << 16, 'u');
    for (std::uint64_t sent = 0; sent < kGiB; sent += buf.size()) {
      asio::write(client.socket(), asio::buffer(buf));
      if ((sent >> 20) % 64 == 0) peak = std::max(peak, rss_kb(pid));
    }
    auto res = client.read();
    CHECK(res.result_int() == 200);
    CHECK(res.body() == std::to_string(kGiB));
  }
  INFO("router RSS before " << before << " kB, peak " << peak << " kB");
  CHECK(peak - before < 64 * 1024);
}

TEST_CASE("SIGUSR1 drains: health fails, the request in flight finishes, the router exits") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  http::Router slow_routes;
  slow_routes.get("/slow", [](http::RequestContext&) -> asio::awaitable<http::Response> {
    asio::steady_timer t(co_await asio::this_coro::executor, 1s);
    co_await t.async_wait(asio::use_awaitable);
    co_return http::make_response(http::StatusCode::ok, "finished", "text/plain");
  });
  ServerFixture slow(std::move(slow_routes));
  emitter.publish("router.register", registration("slow.example.com", slow.port(), "inst-slow"));
  REQUIRE(eventually([&] { return router.get("nope.example.com").result_int() == 404; }, 2s));
  std::this_thread::sleep_for(100ms);

  std::promise<http::Response> answered;
  std::thread request([&] { answered.set_value(router.get("slow.example.com", "/slow")); });
  std::this_thread::sleep_for(300ms);  // the request is at the backend (which takes 1 s)
  router.runner.process().signal(SIGUSR1);
  CHECK(eventually(
      [&] {
        BlockingClient status(router.status_port);
        return status.get("/health").result_int() == 503;
      },
      2s));
  auto f = answered.get_future();
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  auto res = f.get();
  CHECK(res.result_int() == 200);
  CHECK(res.body() == "finished");
  request.join();
  CHECK(router.runner.process().wait(10s) == 0);
}

TEST_CASE("the router terminates TLS with its certificate and says so to the app") {
  testing::TempDir dir("router-tls");
  std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
      " -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(make_cert.c_str()) == 0);
  unsigned short tls_port = testing::free_tcp_port();
  testing::NatsServer nats;
  RouterProcess router(nats, R"("tls_port": )" + std::to_string(tls_port) +
                                 R"(, "tls_cert_file": ")" + cert + R"(", "tls_key_file": ")" +
                                 key + "\"");
  Publisher emitter(nats.url());
  auto a = backend("backend-a");
  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a"));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));

  asio::io_context io;
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_verify_mode(asio::ssl::verify_none);  // a self-signed test certificate
  boost::beast::ssl_stream<asio::ip::tcp::socket> stream(io, tls);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), tls_port});
  SSL_set_tlsext_host_name(stream.native_handle(), "app.example.com");
  stream.handshake(asio::ssl::stream_base::client);
  for (int i = 0; i < 3; ++i) {  // keep-alive over TLS
    http::Request req{http::Verb::get, "/secure", 11};
    req.set(http::bhttp::field::host, "app.example.com");
    boost::beast::http::write(stream, req);
    boost::beast::flat_buffer buffer;
    http::Response res;
    boost::beast::http::read(stream, buffer, res);
    CHECK(res.result_int() == 200);
    CHECK(res.body().find("backend-a /secure") == 0);
    CHECK(res.body().find("proto=https") != std::string::npos);
  }
}
