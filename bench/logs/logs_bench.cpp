// bench/logs: how fast cupola-logstore takes lines in without losing any, and how fast it
// reads the newest 1,000 back.
//
// A real nats-server and log store process; the publisher sends pre-encoded batches (200
// lines of ~100 bytes each, over 100 app sources so no ring evicts) at a fixed pace for two
// seconds per step, rates rising; the store's ingress counter says how many arrived. Then
// 200 reads of the newest 1,000 lines of one source over a kept-alive connection.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <thread>

#include "common/http/router.h"
#include "common/http/server.h"
#include "common/jwt/jws.h"
#include "common/jwt/key_set.h"
#include "common/nats/client.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "loggregator/api/codec.h"

using namespace cupola;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr int kSources = 100;
constexpr int kLinesPerBatch = 200;
constexpr auto kStep = 2s;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string source(int i) { return "bench-app-" + std::to_string(i); }

// The token server the log store checks tokens against, on its own thread.
struct TokenServer {
  SystemClock clock;
  log::Logger logger{std::make_shared<log::MemorySink>(), clock, "token-server"};
  asio::io_context io;
  jwt::RsaKey key = jwt::RsaKey::generate().value();
  jwt::KeySet keys;
  std::shared_ptr<http::Server> server;
  std::thread thread;

  TokenServer() {
    (void)keys.add("key-1", key);
    http::Router r;
    r.get("/token_keys", [this](http::RequestContext&) -> asio::awaitable<http::Response> {
      co_return http::json_response(http::StatusCode::ok, keys.to_token_keys());
    });
    server = std::make_shared<http::Server>(io.get_executor(), http::ServerOptions{}, std::move(r),
                                            logger);
    auto started = asio::co_spawn(io, server->start(), asio::use_future);
    thread = std::thread([this] { io.run(); });
    started.get();
    asio::co_spawn(io, server->run(), asio::detached);
  }
  ~TokenServer() {
    asio::post(io, [s = server] { s->stop(); });
    thread.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
  std::string admin_bearer() const {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    std::string claims =
        R"({"user_name":"bench","scope":["logs.admin"],"exp":)" + std::to_string(now + 3600) + "}";
    return "bearer " + jwt::sign_rs256("", claims, key, "key-1").value();
  }
};

// A kept-alive HTTP/1.1 connection to the log store.
struct Reader {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  boost::beast::flat_buffer buffer;
  explicit Reader(unsigned short port) {
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
  }
  bhttp::response<bhttp::string_body> get(const std::string& target, const std::string& auth) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "logstore");
    if (!auth.empty()) req.set(bhttp::field::authorization, auth);
    bhttp::write(socket, req);
    bhttp::response<bhttp::string_body> res;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    bhttp::read(socket, buffer, parser);
    return parser.release();
  }
};

std::int64_t ingress(unsigned short port) {
  Reader r(port);
  auto doc = json::parse(r.get("/varz", "").body());
  if (!doc || !doc->HasMember("logstore.ingress")) return -1;
  return (*doc)["logstore.ingress"].GetInt64();
}

// One source's batch, encoded once; each publish writes fresh timestamps into it (19 digits,
// fixed width, at known places), so every line is newer than the last as with real producers.
struct Template {
  std::string subject;
  std::string body;
  std::vector<std::size_t> stamps;  // where each timestamp's digits start

  void restamp(std::int64_t t) {
    char digits[24];
    for (std::size_t i = 0; i < stamps.size(); ++i) {
      std::snprintf(digits, sizeof digits, "%019lld",
                    static_cast<long long>(t + static_cast<std::int64_t>(i)));
      body.replace(stamps[i], 19, digits, 19);
    }
  }
};

std::vector<Template> templates() {
  std::vector<Template> out;
  std::string payload(100, 'x');
  constexpr std::int64_t kPlaceholder = 1'000'000'000'000'000'000;  // 19 digits
  for (int s = 0; s < kSources; ++s) {
    std::vector<loggregator::Envelope> envelopes;
    for (int i = 0; i < kLinesPerBatch; ++i) {
      envelopes.push_back(
          loggregator::make_log(kPlaceholder, source(s), "0", "APP/PROC/WEB", payload));
    }
    Template t{"logs." + source(s), loggregator::encode_batch(envelopes), {}};
    const std::string key = "\"timestamp\":";
    for (auto at = t.body.find(key); at != std::string::npos; at = t.body.find(key, at + 1)) {
      t.stamps.push_back(at + key.size());
    }
    out.push_back(std::move(t));
  }
  return out;
}

// Publishes `lines_per_s` for kStep from a connection of its own; returns the lines sent.
std::int64_t publish_step(nats::Client& nats, asio::io_context& io, double lines_per_s,
                          std::vector<Template>& batches) {
  double batches_per_s = lines_per_s / kLinesPerBatch;
  auto start = std::chrono::steady_clock::now();
  std::int64_t sent = 0;
  std::int64_t n = 0;
  auto done = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(io);
        while (std::chrono::steady_clock::now() - start < kStep) {
          // Catch up to the pace, then wait a millisecond.
          auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
          auto due = static_cast<std::int64_t>(elapsed.count() * batches_per_s);
          for (; n < due; ++n) {
            auto& t = batches[static_cast<std::size_t>(n % kSources)];
            t.restamp(now_ns());
            if (nats.publish(t.subject, t.body)) sent += kLinesPerBatch;
          }
          timer.expires_after(1ms);
          co_await timer.async_wait(asio::use_awaitable);
        }
        co_await nats.flush(10s);
      },
      asio::use_future);
  done.get();
  return sent;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main() {
  try {
    testing::NatsServer nats_server;
    TokenServer tokens;
    unsigned short port = testing::free_tcp_port();
    testing::ComponentRunner store("cupola-logstore", "logstore",
                                   R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
                                       R"(", "nats_servers": [")" + nats_server.url() +
                                       R"("], "uaa_url": ")" + tokens.url() + R"(", "cc_url": ")" +
                                       tokens.url() + R"("})");
    store.start();

    SystemClock clock;
    log::Logger logger(std::make_shared<log::MemorySink>(), clock, "bench");
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    nats::Client nats(io.get_executor(),
                      nats::ClientOptions{.servers = {nats_server.url()}, .name = "bench"}, logger);
    std::thread thread([&] { io.run(); });
    struct Join {
      asio::io_context& io;
      std::thread& t;
      ~Join() {
        io.stop();
        if (t.joinable()) t.join();
      }
    } join{io, thread};
    auto connected = asio::co_spawn(io, nats.connect(), asio::use_future).get();
    if (!connected) throw std::runtime_error(connected.error().message);

    std::printf("logs bench: %d sources, %d lines of 100 bytes per batch, %lld s per rate\n",
                kSources, kLinesPerBatch,
                static_cast<long long>(std::chrono::seconds(kStep).count()));
    std::printf("%14s %14s %14s %8s\n", "offered/s", "sent", "stored", "loss%");
    auto batches = templates();
    double lossless = 0;
    double at_1pct = 0;
    for (double rate : {50e3, 100e3, 200e3, 300e3, 400e3, 600e3, 800e3, 1200e3}) {
      std::int64_t before = ingress(port);
      std::int64_t sent = publish_step(nats, io, rate, batches);
      // Whatever is still queued arrives within a moment; then the count stands.
      std::int64_t stored = 0;
      for (int i = 0; i < 50; ++i) {
        std::this_thread::sleep_for(100ms);
        std::int64_t now = ingress(port) - before;
        if (now == stored && now > 0) break;
        stored = now;
      }
      double loss = sent > 0 ? 100.0 * static_cast<double>(sent - stored) / sent : 100.0;
      loss = std::max(0.0, loss);
      std::printf("%14.0f %14lld %14lld %8.2f\n", rate, static_cast<long long>(sent),
                  static_cast<long long>(stored), loss);
      double achieved = static_cast<double>(stored) / std::chrono::seconds(kStep).count();
      if (loss == 0) lossless = std::max(lossless, achieved);
      if (loss <= 1.0) at_1pct = std::max(at_1pct, achieved);
      if (loss > 5.0) break;
    }

    // Reads of the newest 1,000 lines of one source.
    std::string auth = tokens.admin_bearer();
    Reader reader(port);
    std::vector<double> ms;
    std::size_t read_envelopes = 0;
    std::size_t read_bytes = 0;
    std::string target = "/api/v1/read/" + source(kSources - 1) + "?descending=true&limit=1000";
    for (int i = 0; i < 200; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto res = reader.get(target, auth);
      auto t1 = std::chrono::steady_clock::now();
      if (res.result_int() != 200) throw std::runtime_error("read: " + res.body());
      if (i == 0) {
        auto batch = loggregator::decode_read_response(res.body());
        read_envelopes = batch ? batch->size() : 0;
        read_bytes = res.body().size();
      }
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    double p50 = percentile(ms, 0.5);
    double p99 = percentile(ms, 0.99);
    std::printf(
        "read of the newest 1000 lines (%zu envelopes, %zu bytes): p50 %.2f ms, p99 %.2f ms\n",
        read_envelopes, read_bytes, p50, p99);
    std::printf("BENCH name=logs case=lossless lines_per_s=%.0f\n", lossless);
    std::printf("BENCH name=logs case=loss_1pct lines_per_s=%.0f\n", at_1pct);
    std::printf("BENCH name=logs case=read_1000 p50_ms=%.3f p99_ms=%.3f\n", p50, p99);

    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          nats.close();
          co_return;
        },
        asio::use_future)
        .get();
    guard.reset();
    thread.join();
    store.stop();
  } catch (const std::exception& e) {
    std::printf("logs bench: %s\n", e.what());
  }
  return 0;
}
