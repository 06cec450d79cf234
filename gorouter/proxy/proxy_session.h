#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/core/guid.h"
#include "gorouter/proxy/backend_pool.h"
#include "gorouter/route/endpoint.h"
#include "gorouter/route/table_slot.h"

namespace cupola::router {

struct ProxyOptions {
  std::chrono::milliseconds client_idle_timeout{900'000};
  std::chrono::milliseconds request_head_timeout{30'000};
  std::chrono::milliseconds endpoint_timeout{900'000};
  std::chrono::milliseconds endpoint_dial_timeout{5'000};
  std::chrono::milliseconds failed_endpoint_timeout{30'000};  // a failed backend is skipped
  std::size_t max_header_bytes = 32 * 1024;
  int max_attempts = 3;
};

// Counters every loop updates; read by /varz.
struct ProxyStats {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> responses_2xx{0};
  std::atomic<std::uint64_t> responses_3xx{0};
  std::atomic<std::uint64_t> responses_4xx{0};
  std::atomic<std::uint64_t> responses_5xx{0};
  std::atomic<std::uint64_t> bad_requests{0};
  std::atomic<std::uint64_t> backend_retries{0};
  std::atomic<std::uint64_t> websocket_upgrades{0};
  std::atomic<std::int64_t> open_connections{0};

  void count_status(int status) {
    auto& counter = status < 300   ? responses_2xx
                    : status < 400 ? responses_3xx
                    : status < 500 ? responses_4xx
                                   : responses_5xx;
    ++counter;
  }
};

// One line of the access log, as the session saw the request.
struct AccessRecord {
  std::string line;  // gorouter's format
};

// What every session of every loop shares. Read-only but for the stats.
struct ProxyContext {
  const TableSlot& routes;
  ProxyOptions options;
  ProxyStats& stats;
  const std::atomic<bool>& draining;            // set: answer the current request, then close
  std::function<void(std::string)> access_log;  // may be empty
  // The app's copy of a request's access log line (an RTR log), with the app and instance
  // it reached; may be empty. Called on the loop's thread.
  std::function<void(const std::string& app_id, const std::string& instance_index,
                     const std::string& line)>
      app_log;
};

// What one event loop's sessions share: its backend connections and its view of the routes.
struct LoopState {
  LoopState(boost::asio::any_io_executor ex, std::size_t max_idle, const TableSlot& routes,
            std::uint64_t seed)
      : pool(std::move(ex), max_idle), routes(routes), rng(seed) {}
  BackendPool pool;
  SnapshotCache routes;
  // Request ids and trace span ids: random, drawn by this loop alone (no lock).
  std::mt19937_64 rng;
  std::string next_guid() { return format_guid_v4(rng(), rng()); }
  // 16 lower-case hex digits.
  std::string next_span_id();
};

// Serves one client connection: reads requests (keep-alive, pipelined), routes each by its
// Host and path, forwards it to a backend of the route (retrying elsewhere when the
// request never reached one), streams bodies both ways without holding them whole, and
// tunnels WebSocket upgrades. Runs on the loop that owns `loop`.
boost::asio::awaitable<void> serve_client(boost::asio::ip::tcp::socket socket, ProxyContext& ctx,
                                          LoopState& loop);
// The same after a TLS handshake with `tls_context` (the router's certificate).
boost::asio::awaitable<void> serve_tls_client(boost::asio::ip::tcp::socket socket,
                                              boost::asio::ssl::context& tls_context,
                                              ProxyContext& ctx, LoopState& loop);

}  // namespace cupola::router
