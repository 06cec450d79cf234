// cupola-logstore end to end: a real nats-server and log store process, a producer using the
// loggregator client, readers over HTTP. The token server and the Cloud Controller are played
// by one small server in the test (the keys it signs with, and which user sees which app).
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <thread>

#include "common/jwt/jws.h"
#include "common/jwt/key_set.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "loggregator/api/codec.h"
#include "loggregator/api/log_client.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using http::test::BlockingClient;
using http::test::ServerFixture;

namespace {

constexpr const char* kAppA = "6f1d2c3b-aaaa-4e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kAppB = "7a2e3d4c-bbbb-4f60-9bac-1d2e3f4a5b6c";

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The token server and the Cloud Controller as the log store sees them: /token_keys, and
// /v3/apps[/:guid] answering by the user a token names.
class Authority {
 public:
  Authority() : key_(jwt::RsaKey::generate().value()) {
    REQUIRE(keys_.add("key-1", key_).ok());
    http::Router r;
    r.get("/token_keys", [this](http::RequestContext&) -> asio::awaitable<http::Response> {
      co_return http::json_response(http::StatusCode::ok, keys_.to_token_keys());
    });
    r.get("/v3/apps/:guid", [this](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
      ++app_lookups;
      auto apps = apps_of(ctx);
      if (!apps) co_return http::error_response(http::StatusCode::unauthorized, "bad token");
      if (!apps->contains(std::string(ctx.params.get("guid")))) {
        co_return http::error_response(http::StatusCode::not_found, "App not found");
      }
      co_return http::json_response(http::StatusCode::ok, "{}");
    });
    r.get("/v3/apps", [this](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
      auto apps = apps_of(ctx);
      if (!apps) co_return http::error_response(http::StatusCode::unauthorized, "bad token");
      json::Writer w;
      w.start_object().key("resources").start_array();
      for (const auto& g : *apps) w.start_object().field("guid", g).end_object();
      w.end_array().key("pagination").start_object().key("next").value(nullptr).end_object();
      w.end_object();
      co_return http::json_response(http::StatusCode::ok, std::string(w.view()));
    });
    server_ = std::make_unique<ServerFixture>(std::move(r));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // A bearer header for `user` with `scopes`, signed by `key` (the authority's own by default).
  std::string bearer(const std::string& user, std::vector<std::string> scopes = {},
                     const jwt::RsaKey* key = nullptr) const {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    json::Writer w;
    w.start_object()
        .field("user_name", user)
        .field("client_id", "cf")
        .field("iat", static_cast<std::int64_t>(now))
        .field("exp", static_cast<std::int64_t>(now + 600));
    w.key("scope").start_array();
    for (const auto& s : scopes) w.value(s);
    w.end_array().end_object();
    auto token = jwt::sign_rs256("", w.view(), key ? *key : key_, "key-1");
    REQUIRE(token.ok());
    return "bearer " + *token;
  }

  std::map<std::string, std::set<std::string>> apps;  // user → app guids it sees
  std::atomic<int> app_lookups{0};

 private:
  const std::set<std::string>* apps_of(const http::RequestContext& ctx) const {
    std::string header(ctx.request[http::bhttp::field::authorization]);
    if (header.size() < 8) return nullptr;
    auto claims = jwt::verify_rs256(std::string_view(header).substr(7), keys_,
                                    std::chrono::system_clock::now());
    if (!claims || !claims->user_name()) return nullptr;
    auto it = apps.find(*claims->user_name());
    static const std::set<std::string> none;
    return it == apps.end() ? &none : &it->second;
  }

  jwt::RsaKey key_;
  jwt::KeySet keys_;
  std::unique_ptr<ServerFixture> server_;
};

// A producer: the loggregator client on its own thread and NATS connection.
class Producer {
 public:
  explicit Producer(const std::string& nats_url)
      : logger_(std::make_shared<log::MemorySink>(), clock_, "producer"),
        guard_(io_.get_executor()),
        nats_(io_.get_executor(), nats::ClientOptions{.servers = {nats_url}, .name = "producer"},
              logger_),
        logs_(io_.get_executor(), nats_, clock_, options(), logger_),
        thread_([this] { io_.run(); }) {
    asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<void> {
          if (auto s = co_await nats_.connect(); !s) throw std::runtime_error(s.error().message);
        },
        asio::use_future)
        .get();
    asio::co_spawn(io_, logs_.run(), asio::detached);
  }
  ~Producer() {
    asio::co_spawn(
        io_,
        [this]() -> asio::awaitable<void> {
          logs_.stop();
          co_await nats_.flush(5s);
          nats_.close();
        },
        asio::use_future)
        .wait_for(10s);
    guard_.reset();
    io_.stop();
    thread_.join();
  }
  // "line <i>" for i in [from, to) from app `source`, instance 0, one timestamp each, rising.
  void emit(const std::string& source, int from, int to) {
    for (int i = from; i < to; ++i) {
      logs_.emit(loggregator::make_log(now_ns(), source, "0", "APP/PROC/WEB",
                                       "line " + std::to_string(i)));
    }
  }
  loggregator::LogClientStats stats() const { return logs_.stats(); }

 private:
  static loggregator::BatcherOptions options() {
    loggregator::BatcherOptions o;
    o.max_buffered_envelopes = 50'000;
    o.flush_interval = 20ms;
    return o;
  }
  SystemClock clock_;
  log::Logger logger_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  nats::Client nats_;
  loggregator::LogClient logs_;
  std::thread thread_;
};

struct Logstore {
  unsigned short port = testing::free_tcp_port();
  testing::ComponentRunner runner;
  Logstore(const testing::NatsServer& nats, const Authority& authority, int tail_queue = 10'000)
      : runner("cupola-logstore", "logstore",
               R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
                   R"(", "nats_servers": [")" + nats.url() + R"("], "uaa_url": ")" +
                   authority.url() + R"(", "cc_url": ")" + authority.url() +
                   R"(", "tail_heartbeat": "200ms", "tail_queue": )" + std::to_string(tail_queue) +
                   "}") {
    runner.start();
  }
  http::Response get(const std::string& target, const std::string& authorization = "") {
    BlockingClient client(port);
    http::Request req{http::Verb::get, target, 11};
    if (!authorization.empty()) req.set(http::bhttp::field::authorization, authorization);
    return client.request(std::move(req));
  }
  // Every LOG envelope of `source` from the start, read 1000 at a time as a walking reader
  // does (start_time = last timestamp + 1).
  std::vector<loggregator::Envelope> read_all(const std::string& source,
                                              const std::string& authorization) {
    std::vector<loggregator::Envelope> out;
    std::int64_t start = 0;
    for (int page = 0; page < 100; ++page) {
      auto res = get("/api/v1/read/" + source +
                         "?envelope_types=LOG&limit=1000&start_time=" + std::to_string(start),
                     authorization);
      REQUIRE(res.result_int() == 200);
      auto batch = loggregator::decode_read_response(res.body());
      REQUIRE(batch.ok());
      if (batch->empty()) break;
      start = batch->back().timestamp + 1;
      for (auto& e : *batch) out.push_back(std::move(e));
    }
    return out;
  }
  std::int64_t varz(const std::string& name) {
    auto body = get("/varz").body();
    auto doc = json::parse(body);
    REQUIRE(doc.ok());
    return doc->HasMember(name.c_str()) ? (*doc)[name.c_str()].GetInt64() : -1;
  }
};

// A tail read on a socket of its own: the SSE events' envelopes, decoded, as they come.
class TailReader {
 public:
  TailReader(unsigned short port, const std::string& target, const std::string& authorization,
             bool read = true)
      : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string req = "GET " + target +
                      " HTTP/1.1\r\nHost: logstore\r\nAuthorization: " + authorization + "\r\n\r\n";
    asio::write(socket_, asio::buffer(req));
    if (read) thread_ = std::thread([this] { pump(); });
  }
  ~TailReader() {
    ::shutdown(socket_.native_handle(), SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::string> payloads() {
    std::lock_guard lock(mu_);
    return payloads_;
  }
  std::string head() {
    std::lock_guard lock(mu_);
    return head_;
  }

 private:
  void pump() {
    std::string data;
    char buf[65536];
    for (int reads = 0; reads < 1'000'000; ++reads) {
      boost::system::error_code ec;
      auto n = socket_.read_some(asio::buffer(buf), ec);
      if (ec || n == 0) return;
      data.append(buf, n);
      std::lock_guard lock(mu_);
      if (head_.empty()) {
        auto end = data.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        head_ = data.substr(0, end);
        data.erase(0, end + 4);
      }
      // Events are "data: <json>\n\n"; chunk framing lines are skipped.
      for (auto at = data.find("data: "); at != std::string::npos; at = data.find("data: ")) {
        auto end = data.find("\n\n", at);
        if (end == std::string::npos) break;
        auto batch = loggregator::decode_batch(data.substr(at + 6, end - at - 6));
        if (batch) {
          for (const auto& e : *batch) payloads_.push_back(e.log() ? e.log()->payload : "");
        }
        data.erase(0, end + 2);
      }
    }
  }
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::thread thread_;
  std::mutex mu_;
  std::string head_;
  std::vector<std::string> payloads_;
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

std::vector<std::string> lines(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("line " + std::to_string(i));
  return out;
}

}  // namespace

TEST_CASE("the log store keeps every line and serves it in timestamp order, live too") {
  testing::NatsServer nats;
  Authority authority;
  authority.apps["alice"] = {kAppA};
  Logstore store(nats, authority);
  std::string alice = authority.bearer("alice");
  Producer producer(nats.url());

  auto info = store.get("/api/v1/info");
  CHECK(info.result_int() == 200);
  CHECK(info.body().find(R"("version":"2.)") != std::string::npos);

  // One tail before the lines, one in the middle: each sees every line once, in order.
  TailReader before(store.port, std::string("/api/v1/tail/") + kAppA, alice);
  REQUIRE(eventually([&] { return !before.head().empty(); }, 5s));
  CHECK(before.head().starts_with("HTTP/1.1 200"));
  CHECK(before.head().find("text/event-stream") != std::string::npos);
  producer.emit(kAppA, 0, 5'000);
  TailReader during(store.port, std::string("/api/v1/tail/") + kAppA, alice);
  producer.emit(kAppA, 5'000, 10'000);

  auto expected = lines(0, 10'000);
  CHECK(eventually([&] { return store.read_all(kAppA, alice).size() >= 10'000; }, 20s));
  auto stored = store.read_all(kAppA, alice);
  std::vector<std::string> payloads;
  bool ordered = true;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    payloads.push_back(stored[i].log()->payload);
    if (i > 0 && stored[i].timestamp < stored[i - 1].timestamp) ordered = false;
  }
  CHECK(ordered);
  CHECK(payloads == expected);
  CHECK(eventually([&] { return before.payloads().size() >= 10'000; }, 10s));
  CHECK(eventually([&] { return during.payloads().size() >= 10'000; }, 10s));
  CHECK(before.payloads() == expected);
  CHECK(during.payloads() == expected);
  CHECK(producer.stats().dropped == 0);

  // The newest first, as `cf logs --recent` asks.
  auto recent = store.get(std::string("/api/v1/read/") + kAppA +
                              "?descending=true&envelope_types=LOG&limit=3&start_time="
                              "-6795364578871345152",
                          alice);
  REQUIRE(recent.result_int() == 200);
  auto newest = loggregator::decode_read_response(recent.body());
  REQUIRE(newest.ok());
  REQUIRE(newest->size() == 3);
  CHECK((*newest)[0].log()->payload == "line 9999");
  CHECK(recent.body().find(R"("timestamp":")") != std::string::npos);  // int64 as a string

  auto bad = store.get(std::string("/api/v1/read/") + kAppA + "?limit=5000", alice);
  CHECK(bad.result_int() == 400);
  CHECK(bad.body().find("limit") != std::string::npos);
  CHECK(store.varz("logstore.ingress") >= 10'000);
}

TEST_CASE("the log store shows a user only the apps the Cloud Controller shows them") {
  testing::NatsServer nats;
  Authority authority;
  authority.apps["alice"] = {kAppA};
  authority.apps["bob"] = {kAppB};
  Logstore store(nats, authority);
  Producer producer(nats.url());
  producer.emit(kAppA, 0, 10);
  producer.emit(kAppB, 0, 10);
  std::string alice = authority.bearer("alice");
  std::string bob = authority.bearer("bob");
  std::string admin = authority.bearer("admin", {"cloud_controller.admin"});
  auto read_a = std::string("/api/v1/read/") + kAppA;
  REQUIRE(eventually([&] { return store.read_all(kAppA, admin).size() == 10; }, 10s));

  CHECK(store.get(read_a, alice).result_int() == 200);
  // Not shown to bob: as if it did not exist.
  auto hidden = store.get(read_a, bob);
  CHECK(hidden.result_int() == 404);
  CHECK(hidden.body().find("not found") != std::string::npos);
  CHECK(store.get(std::string("/api/v1/tail/") + kAppA, bob).result_int() == 404);

  // No token, a forged one, a malformed one: 401 with what to do.
  auto none = store.get(read_a);
  CHECK(none.result_int() == 401);
  CHECK(none.body().find("log in") != std::string::npos);
  auto other_key = jwt::RsaKey::generate().value();
  CHECK(store.get(read_a, authority.bearer("alice", {}, &other_key)).result_int() == 401);
  CHECK(store.get(read_a, "bearer not-a-token").result_int() == 401);
  CHECK(store.get("/api/v1/meta").result_int() == 401);

  // Meta lists what each may read; admins see every source.
  auto meta = store.get("/api/v1/meta", bob).body();
  CHECK(meta.find(kAppB) != std::string::npos);
  CHECK(meta.find(kAppA) == std::string::npos);
  auto all = store.get("/api/v1/meta", admin).body();
  CHECK(all.find(kAppA) != std::string::npos);
  CHECK(all.find(kAppB) != std::string::npos);
  CHECK(all.find(R"("count":"10")") != std::string::npos);

  // Answers are cached briefly: reading again does not ask the Cloud Controller again.
  int asked = authority.app_lookups.load();
  for (int i = 0; i < 5; ++i) CHECK(store.get(read_a, alice).result_int() == 200);
  CHECK(authority.app_lookups.load() == asked);
}

TEST_CASE("a tail that does not read loses lines; ingest does not slow down") {
  testing::NatsServer nats;
  Authority authority;
  Logstore store(nats, authority, 100);
  std::string admin = authority.bearer("admin", {"logs.admin"});
  TailReader stuck(store.port, std::string("/api/v1/tail/") + kAppA, admin, false);
  REQUIRE(eventually([&] { return store.varz("logstore.tails") == 1; }, 5s));
  Producer producer(nats.url());
  auto started = std::chrono::steady_clock::now();
  producer.emit(kAppA, 0, 20'000);
  REQUIRE(eventually([&] { return store.read_all(kAppA, admin).size() >= 20'000; }, 30s));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < 15s);
  CHECK(store.varz("logstore.dropped.subscriber_slow") > 0);
  CHECK(store.read_all(kAppA, admin).size() == 20'000);
}

TEST_CASE("a WebSocket tail, authorized by subprotocol as a browser does, sees every line") {
  testing::NatsServer nats;
  Authority authority;
  authority.apps["alice"] = {kAppA};
  Logstore store(nats, authority);
  std::string token = authority.bearer("alice").substr(7);
  Producer producer(nats.url());
  producer.emit(kAppA, 0, 500);  // before the tail: its backlog

  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), store.port});
  boost::beast::websocket::stream<asio::ip::tcp::socket&> ws(socket);
  ws.set_option(boost::beast::websocket::stream_base::decorator(
      [&](boost::beast::websocket::request_type& req) {
        req.set(http::bhttp::field::sec_websocket_protocol, "cupola.logs, bearer." + token);
      }));
  boost::beast::websocket::response_type handshake;
  ws.handshake(handshake, "logstore", std::string("/api/v1/tail/") + kAppA);
  CHECK(handshake[http::bhttp::field::sec_websocket_protocol] == "cupola.logs");
  producer.emit(kAppA, 500, 1'000);  // while it is open: live

  std::vector<std::string> payloads;
  std::string read_error;
  ::timeval tv{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (int i = 0; i < 1'000 && payloads.size() < 1'000; ++i) {
    boost::beast::flat_buffer buf;
    boost::system::error_code ec;
    ws.read(buf, ec);
    if (ec) {
      read_error = ec.message();
      break;
    }
    auto batch = loggregator::decode_batch(boost::beast::buffers_to_string(buf.data()));
    REQUIRE(batch.ok());
    for (const auto& e : *batch) payloads.push_back(e.log()->payload);
  }
  INFO(read_error);
  CHECK(payloads.size() == 1'000);
  CHECK(payloads == lines(0, 1'000));
  // A peer that goes away is noticed at the next heartbeat, and its subscription ends.
  CHECK(store.varz("logstore.tails") == 1);
  ::shutdown(socket.native_handle(), SHUT_RDWR);
  CHECK(eventually([&] { return store.varz("logstore.tails") == 0; }, 5s));

  // The same upgrade with another user's token is refused before any handshake.
  asio::ip::tcp::socket other(io);
  other.connect({asio::ip::make_address("127.0.0.1"), store.port});
  boost::beast::websocket::stream<asio::ip::tcp::socket&> refused(other);
  std::string bob = authority.bearer("bob").substr(7);
  refused.set_option(boost::beast::websocket::stream_base::decorator(
      [&](boost::beast::websocket::request_type& req) {
        req.set(http::bhttp::field::sec_websocket_protocol, "cupola.logs, bearer." + bob);
      }));
  boost::system::error_code ec;
  refused.handshake(handshake, "logstore", std::string("/api/v1/tail/") + kAppA, ec);
  CHECK(ec);
  CHECK(handshake.result_int() == 404);
}
