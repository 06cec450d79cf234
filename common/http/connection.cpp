#include "common/http/connection.h"

#include <array>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace cupola::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::as_tuple;
using asio::use_awaitable;

struct Connection::WebSocket {
  explicit WebSocket(beast::tcp_stream& s) : ws(s) {}
  beast::websocket::stream<beast::tcp_stream&> ws;
  beast::flat_buffer in;
};

bool is_websocket_upgrade(const Request& request) { return beast::websocket::is_upgrade(request); }

Connection::Connection(std::shared_ptr<Server::Impl> server, asio::ip::tcp::socket socket)
    : server_(std::move(server)), stream_(std::move(socket)) {
  boost::system::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
}

Connection::~Connection() = default;

void Connection::close() {
  boost::system::error_code ec;
  stream_.socket().close(ec);
}

asio::awaitable<void> Connection::run() {
  try {
    while (co_await serve_one()) {
    }
  } catch (const std::exception& e) {
    // Cancellation of a streaming handler on stop, or a socket error mid-write.
    server_->log.debug("connection-ended", {{"remote", remote_}, {"reason", e.what()}});
  }
  if (linger_) co_await drain_input();
  boost::system::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
}

asio::awaitable<void> Connection::drain_input() {
  // After an error answered before the request was read whole (413, 431, 400), closing at
  // once would reset the connection and could destroy our answer in the client's buffers
  // while it is still sending. Stop sending, then read and drop its input for a moment.
  boost::system::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  static constexpr std::size_t kMaxDrainBytes = 8 << 20;
  std::array<char, 16 * 1024> scratch;
  std::size_t drained = 0;
  stream_.expires_after(std::chrono::seconds(1));
  while (drained < kMaxDrainBytes) {
    auto [rec, n] =
        co_await stream_.async_read_some(asio::buffer(scratch), as_tuple(use_awaitable));
    if (rec) break;
    drained += n;
  }
  stream_.expires_never();
}

asio::awaitable<bool> Connection::serve_one() {
  const auto& opt = server_->options;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(opt.max_header_bytes));
  parser.body_limit(boost::none);  // checked against the route's limit below

  state_ = State::Idle;
  if (server_->stopping) co_return false;
  stream_.expires_after(opt.idle_timeout);
  auto [ec, n] =
      co_await bhttp::async_read_header(stream_, buffer_, parser, as_tuple(use_awaitable));
  state_ = State::Busy;
  if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
      ec == beast::error::timeout || ec == asio::error::connection_reset ||
      ec == asio::error::eof) {
    co_return false;
  }
  if (ec == bhttp::error::header_limit) {
    co_await send_error(
        StatusCode::request_header_fields_too_large,
        "request header fields exceed " + std::to_string(opt.max_header_bytes) + " bytes");
    co_return false;
  }
  if (ec) {
    co_await send_error(StatusCode::bad_request, "malformed request: " + ec.message());
    co_return false;
  }

  auto& head = parser.get();
  auto lookup = server_->router.find(head.method(), target_path(head.target()));
  std::size_t limit = opt.max_body_bytes;
  if (lookup.route && lookup.route->options.max_body_bytes) {
    limit = *lookup.route->options.max_body_bytes;
  }
  if (auto len = parser.content_length(); len && *len > limit) {
    co_await send_error(StatusCode::payload_too_large, "request body of " + std::to_string(*len) +
                                                           " bytes exceeds the limit of " +
                                                           std::to_string(limit) + " bytes");
    co_return false;
  }
  parser.body_limit(limit);
  if (!parser.is_done()) {
    if (head[bhttp::field::expect] == "100-continue") {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(opt.write_timeout);
      auto [wec, wn] =
          co_await asio::async_write(stream_, asio::buffer(kContinue), as_tuple(use_awaitable));
      if (wec) co_return false;
    }
    stream_.expires_after(opt.read_timeout);
    auto [bec, bn] = co_await bhttp::async_read(stream_, buffer_, parser, as_tuple(use_awaitable));
    if (bec == bhttp::error::body_limit) {
      co_await send_error(StatusCode::payload_too_large,
                          "request body exceeds the limit of " + std::to_string(limit) + " bytes");
      co_return false;
    }
    if (bec == beast::error::timeout) {
      // The stream closed the socket when its deadline passed: nothing can be answered.
      server_->log.debug("body-timed-out", {{"remote", remote_}});
      co_return false;
    }
    if (bec) {
      if (bec != bhttp::error::end_of_stream && bec != asio::error::operation_aborted) {
        co_await send_error(StatusCode::bad_request, "malformed request body: " + bec.message());
      }
      co_return false;
    }
  }
  stream_.expires_never();

  server_->requests.fetch_add(1, std::memory_order_relaxed);
  auto started = std::chrono::steady_clock::now();
  RequestContext ctx(parser.release(), remote_, server_->log, server_->executor, this);
  bool keep_alive = ctx.request.keep_alive();
  Response res;
  if (lookup.kind == Router::Lookup::Kind::Found) ctx.params = std::move(lookup.params);
  try {
    if (lookup.kind == Router::Lookup::Kind::MethodNotAllowed) {
      res = server_->render_error(StatusCode::method_not_allowed,
                                  "method " + std::string(ctx.request.method_string()) +
                                      " is not allowed here; allowed: " + lookup.allow);
      res.set(bhttp::field::allow, lookup.allow);
    } else {
      res = co_await server_->handle(ctx, lookup.route);
    }
  } catch (const std::exception& e) {
    if (ctx.streaming()) throw;
    server_->log.error(
        "handler-failed", e.what(),
        {{"method", std::string(ctx.request.method_string())}, {"path", std::string(ctx.path())}});
    res = server_->render_error(StatusCode::internal_server_error, "internal server error");
  }
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (server_->log.enabled(log::Level::Debug)) {
    server_->log.debug("request", {{"method", std::string(ctx.request.method_string())},
                                   {"path", std::string(ctx.path())},
                                   {"status", res.result_int()},
                                   {"duration_ms", elapsed}});
  }
  if (ctx.websocket()) {
    server_->count_response(101);
    if (ws_ && ws_->ws.is_open()) {
      ws_->ws.set_option(beast::websocket::stream_base::timeout{
          server_->options.write_timeout, server_->options.write_timeout, false});
      co_await ws_->ws.async_close(beast::websocket::close_code::normal, as_tuple(use_awaitable));
    }
    co_return false;
  }
  if (ctx.streaming()) {
    server_->count_response(200);
    stream_.expires_after(opt.write_timeout);
    co_await asio::async_write(stream_, bhttp::make_chunk_last(), as_tuple(use_awaitable));
    co_return false;
  }
  co_return co_await send(std::move(res), ctx.request, keep_alive);
}

asio::awaitable<bool> Connection::send(Response res, const Request& req, bool keep_alive) {
  keep_alive = keep_alive && !server_->stopping;
  res.version(req.version());
  res.keep_alive(keep_alive);
  res.set(bhttp::field::server, server_->options.server_header);
  res.prepare_payload();
  if (req.method() == Verb::head) {
    auto len = res.body().size();
    res.body().clear();
    res.content_length(len);
  }
  server_->count_response(res.result_int());
  stream_.expires_after(server_->options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write(stream_, res, as_tuple(use_awaitable));
  stream_.expires_never();
  co_return !ec && keep_alive;
}

asio::awaitable<void> Connection::send_error(StatusCode status, std::string_view message) {
  linger_ = true;
  Response res = server_->render_error(status, message);
  res.version(11);
  res.keep_alive(false);
  res.set(bhttp::field::server, server_->options.server_header);
  res.prepare_payload();
  server_->count_response(res.result_int());
  stream_.expires_after(server_->options.write_timeout);
  co_await bhttp::async_write(stream_, res, as_tuple(use_awaitable));
}

asio::awaitable<bool> Connection::start(Response head) {
  state_ = State::Streaming;
  bhttp::response<bhttp::empty_body> res{head.result(), 11};
  for (const auto& field : head) res.set(field.name_string(), field.value());
  res.set(bhttp::field::server, server_->options.server_header);
  res.keep_alive(false);
  res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> sr{res};
  stream_.expires_after(server_->options.write_timeout);
  auto [ec, n] = co_await bhttp::async_write_header(stream_, sr, as_tuple(use_awaitable));
  stream_.expires_never();
  co_return !ec;
}

void Connection::prepare_websocket(const std::string& subprotocol) {
  state_ = State::Streaming;
  stream_.expires_never();  // the WebSocket keeps its own timeouts
  ws_ = std::make_unique<WebSocket>(stream_);
  // Writes are bounded by the TCP stream's deadline (set around each); reads wait as long as
  // the handler lets them.
  ws_->ws.set_option(beast::websocket::stream_base::timeout{
      server_->options.write_timeout, beast::websocket::stream_base::none(), false});
  ws_->ws.read_message_max(64 * 1024);
  ws_->ws.set_option(beast::websocket::stream_base::decorator(
      [server = server_->options.server_header, subprotocol](beast::websocket::response_type& res) {
        res.set(bhttp::field::server, server);
        if (!subprotocol.empty()) res.set(bhttp::field::sec_websocket_protocol, subprotocol);
      }));
}

asio::awaitable<bool> Connection::accept_websocket(const Request& request,
                                                   std::string subprotocol) {
  // The set-up (options and a capturing decorator) is plain code, outside the coroutine frame.
  prepare_websocket(subprotocol);
  auto [ec] = co_await ws_->ws.async_accept(request, as_tuple(use_awaitable));
  co_return !ec;
}

asio::awaitable<bool> Connection::send_message(std::string_view text) {
  if (!ws_) co_return false;
  ws_->ws.text(true);
  stream_.expires_after(server_->options.write_timeout);
  auto [ec, n] =
      co_await ws_->ws.async_write(asio::buffer(text.data(), text.size()), as_tuple(use_awaitable));
  stream_.expires_never();
  co_return !ec;
}

asio::awaitable<bool> Connection::send_ping() {
  if (!ws_) co_return false;
  stream_.expires_after(server_->options.write_timeout);
  auto [ec] = co_await ws_->ws.async_ping({}, as_tuple(use_awaitable));
  stream_.expires_never();
  co_return !ec;
}

asio::awaitable<bool> Connection::receive_message() {
  if (!ws_) co_return false;
  ws_->in.clear();
  auto [ec, n] = co_await ws_->ws.async_read(ws_->in, as_tuple(use_awaitable));
  co_return !ec;
}

asio::awaitable<bool> Connection::write(std::string_view data) {
  if (data.empty()) co_return true;  // an empty chunk would end the body
  stream_.expires_after(server_->options.write_timeout);
  auto [ec, n] = co_await asio::async_write(stream_, bhttp::make_chunk(asio::buffer(data)),
                                            as_tuple(use_awaitable));
  stream_.expires_never();
  co_return !ec;
}

}  // namespace cupola::http
