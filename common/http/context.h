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

// Writes a chunked response body bit by bit (server-sent events, log tails). Implemented
// by the server's connection.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Sends the head with chunked transfer encoding. False when the client is gone.
  virtual boost::asio::awaitable<bool> start(Response head) = 0;
  // Sends one chunk now. False when the client is gone.
  virtual boost::asio::awaitable<bool> write(std::string_view data) = 0;
};

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
};

}  // namespace cupola::http
