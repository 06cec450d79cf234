#pragma once

// Internal to the proxy: one client connection's session, shared by proxy_session.cpp (reading
// requests, choosing and reaching a backend) and relay.cpp (streaming the exchange). Both
// stream types are instantiated explicitly in those files.

#include <boost/asio/ssl/stream.hpp>

#include "common/core/clock.h"
#include "gorouter/http/body_reader.h"
#include "gorouter/http/connection.h"
#include "gorouter/http/request_parser.h"
#include "gorouter/http/response_parser.h"
#include "gorouter/proxy/proxy_session.h"
#include "gorouter/proxy/stream_io.h"
#include "gorouter/proxy/watchdog.h"
#include "gorouter/proxy/wire.h"
#include "gorouter/rules/access_log.h"
#include "gorouter/rules/error_responses.h"

namespace cupola::router::detail {
namespace asio = boost::asio;
using asio::ip::tcp;

using rules::iequals;
using Phase = Watchdog::Phase;

// How forwarding one request ended.
enum class Relayed {
  Close,      // the client connection closes
  KeepAlive,  // the next request may follow
  // A kept-alive backend connection closed before answering a request without a body: the
  // backend closed it while it sat idle, so the request goes again on a fresh connection.
  RetryFresh,
};

// One client connection; ClientStream is a tcp::socket, or an ssl::stream over one.
template <class ClientStream>
struct Session {
  Session(ClientStream&& stream, ProxyContext& ctx, LoopState& loop, bool tls,
          std::shared_ptr<Watchdog> dog)
      : client(std::move(stream)),
        ctx(ctx),
        loop(loop),
        pool(loop.pool),
        routes(loop.routes),
        tls(tls),
        dog(std::move(dog)) {
    this->dog->watch_client(&lowest());
  }
  ~Session() { dog->watch_client(nullptr); }

  ClientStream client;
  tcp::socket& lowest() { return lowest_socket(client); }
  rules::AccessLogRecord record;  // the request being served, for the access log
  ProxyContext& ctx;
  LoopState& loop;
  BackendPool& pool;
  SnapshotCache& routes;
  bool tls;
  std::shared_ptr<Watchdog> dog;
  Buffer in;                     // bytes from the client not yet used
  Buffer bin;                    // bytes from the backend not yet used
  std::string out;               // response head being built
  std::string head_bytes;        // request head for the backend
  http::ResponseParser rparser;  // the backend's response heads; keeps its storage
  std::string client_ip;
  std::string client_addr;  // ip:port

  // By value: the coroutine runs after its caller's temporaries are gone.
  asio::awaitable<bool> answer(rules::ErrorResponse e, bool keep_alive) {
    ctx.stats.count_status(e.status);
    keep_alive = keep_alive && !e.close_connection && !e.bare_http10;
    dog->set(Phase::ClientWrite, ctx.options.request_head_timeout);
    record.status = e.status;
    record.body_bytes_sent = static_cast<std::int64_t>(e.body.size());
    for (const auto& h : e.headers) {
      if (iequals(h.name, "X-Cf-Routererror")) record.router_error = h.value;
    }
    bool ok = co_await write_all(client, serialize(e, keep_alive));
    co_return ok&& keep_alive;
  }
  // Forwards one request to `backend` (the head is written).
  asio::awaitable<Relayed> relay(tcp::socket& backend, bool reused, std::string_view address,
                                 const http::RequestHead& req, const std::string& method,
                                 bool client_keep, bool websocket, bool expect_continue,
                                 const rules::HeaderList& sent_headers, const rules::Endpoint& ep,
                                 const std::string& sticky_id, std::string_view route_path);

  asio::awaitable<void> run();
  // One request whose head is parsed; false when the client connection must close.
  asio::awaitable<bool> proxy(const http::RequestHead& head, std::size_t head_size);
};

}  // namespace cupola::router::detail
