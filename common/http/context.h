#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/http/message.h"
#include "common/log/log.h"

namespace cupola::http {

// Values captured from a path template ("/v3/apps/:guid" → {"guid", "…"}), decoded.
class PathParams {
 public:
  void add(std::string name, std::string value) {
    items_.emplace_back(std::move(name), std::move(value));
  }
  // The value, or "" when the template has no such parameter.
  std::string_view get(std::string_view name) const {
    for (const auto& [k, v] : items_) {
      if (k == name) return v;
    }
    return {};
  }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Writes a chunked response body bit by bit (server-sent events, log tails), or talks
// WebSocket after an upgrade. Implemented by the server's connection.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends the head with chunked transfer encoding. False when the client is gone.
  virtual boost::asio::awaitable<bool> start(Response head) = 0;
  // Sends one chunk now. False when the client is gone.
  virtual boost::asio::awaitable<bool> write(std::string_view data) = 0;
  // Completes the WebSocket handshake of `request`, answering with `subprotocol` when it is
  // not empty. False when that failed.
  virtual boost::asio::awaitable<bool> accept_websocket(const Request& request,
                                                        std::string subprotocol) = 0;
  // Sends one text message, or a ping. False when the peer is gone or did not take it within
  // the server's write timeout.
  virtual boost::asio::awaitable<bool> send_message(std::string_view text) = 0;
  virtual boost::asio::awaitable<bool> send_ping() = 0;
  // Waits for the peer's next message and drops it. False once the peer closed or failed.
  virtual boost::asio::awaitable<bool> receive_message() = 0;
};

// Whether `request` asks to upgrade to WebSocket.
bool is_websocket_upgrade(const Request& request);

class RequestContext;
using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

// Everything a handler gets for one request. Lives until the handler's response is sent.
// Handlers run on the server's executor; a stopping server cancels handlers that stream.
class RequestContext {
 public:
  RequestContext(Request request, std::string remote_address, log::Logger logger,
                 boost::asio::any_io_executor executor, ResponseStream* stream)
      : request(std::move(request)),
        remote_address(std::move(remote_address)),
        log(std::move(logger)),
        executor(std::move(executor)),
        stream_(stream) {}

  std::string_view path() const { return target_path(request.target()); }
  std::string_view query() const { return target_query(request.target()); }
  std::optional<std::string> query_param(std::string_view name) const {
    return http::query_param(query(), name);
  }

  // Turns this exchange into a streamed response: the head goes out now with chunked
  // encoding, then each write_chunk. The handler's returned Response is then ignored and the
  // connection closes after the last chunk.
  boost::asio::awaitable<bool> start_stream(Response head) {
    streaming_ = true;
    return stream_->start(std::move(head));
  }
  boost::asio::awaitable<bool> write_chunk(std::string_view data) { return stream_->write(data); }
  bool streaming() const { return streaming_; }

  // Turns this exchange into a WebSocket (the request must be an upgrade): the handshake
  // goes out now; then send_message, send_ping and receive_message, one at a time. The
  // handler's returned Response is then ignored; when the handler returns, the socket is
  // closed with a normal close frame (if still open) and the connection ends.
  boost::asio::awaitable<bool> start_websocket(std::string subprotocol = {}) {
    streaming_ = true;
    websocket_ = true;
    return stream_->accept_websocket(request, std::move(subprotocol));
  }
  boost::asio::awaitable<bool> send_message(std::string_view text) {
    return stream_->send_message(text);
  }
  boost::asio::awaitable<bool> send_ping() { return stream_->send_ping(); }
  boost::asio::awaitable<bool> receive_message() { return stream_->receive_message(); }
  bool websocket() const { return websocket_; }

  Request request;
  PathParams params;
  std::string remote_address;
  log::Logger log;
  boost::asio::any_io_executor executor;
  // Set by middleware for handlers after it (for example the authenticated user).
  std::unordered_map<std::string, std::string> attributes;
  // The routed handler (set by the server before middleware runs).
  const Handler* handler = nullptr;

 private:
  ResponseStream* stream_;
  bool streaming_ = false;
  bool websocket_ = false;
};

}  // namespace cupola::http
