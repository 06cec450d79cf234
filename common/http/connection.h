#pragma once

// Internal to common/http: one accepted connection's request loop.

#include <memory>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/http/server_impl.h"

namespace cupola::http {

class Connection final : public ResponseStream {
 public:
  enum class State { Idle, Busy, Streaming };

  Connection(std::shared_ptr<Server::Impl> server, boost::asio::ip::tcp::socket socket);
  ~Connection() override;

  // Serves requests until the peer leaves, an error, or the server's stop.
  boost::asio::awaitable<void> run();

  State state() const { return state_; }
  boost::asio::cancellation_signal& cancel_signal() { return cancel_; }
  // Closes the socket at once (the end of a drain).
  void close();

  // ResponseStream
  boost::asio::awaitable<bool> start(Response head) override;
  boost::asio::awaitable<bool> write(std::string_view data) override;
  boost::asio::awaitable<bool> accept_websocket(const Request& request,
                                                std::string subprotocol) override;
  boost::asio::awaitable<bool> send_message(std::string_view text) override;
  boost::asio::awaitable<bool> send_ping() override;
  boost::asio::awaitable<bool> receive_message() override;

 private:
  // Reads one request; answers limit and parse errors itself. Returns false to close.
  boost::asio::awaitable<bool> serve_one();
  boost::asio::awaitable<bool> send(Response res, const Request& req, bool keep_alive);
  boost::asio::awaitable<void> send_error(StatusCode status, std::string_view message);
  boost::asio::awaitable<void> drain_input();
  void prepare_websocket(const std::string& subprotocol);

  std::shared_ptr<Server::Impl> server_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  struct WebSocket;  // connection.cpp keeps the Beast WebSocket types to itself
  std::unique_ptr<WebSocket> ws_;
  boost::asio::cancellation_signal cancel_;
  std::string remote_;
  State state_ = State::Idle;
  bool linger_ = false;  // an error went out before the request was read whole
};

}  // namespace cupola::http
