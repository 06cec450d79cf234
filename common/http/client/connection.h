#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <variant>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "common/core/result.h"
#include "common/http/client/url.h"

namespace cupola::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using SteadyTime = std::chrono::steady_clock::time_point;

// Internal. One open connection to an origin, plain or TLS, with its read buffer. Lives on
// the client's executor; destroying it closes the socket.
class Connection {
 public:
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;

  explicit Connection(beast::tcp_stream tcp) : stream_(std::move(tcp)) {}
  explicit Connection(TlsStream tls) : stream_(std::move(tls)) {}

  // The TCP layer: where timeouts are set, and what close() closes.
  beast::tcp_stream& tcp();
  beast::flat_buffer& buffer() { return buffer_; }

  // Calls `op` with the stream to read and write (a tcp_stream or a TLS stream).
  template <class Op>
  decltype(auto) visit(Op&& op) {
    return std::visit(std::forward<Op>(op), stream_);
  }

  bool reused() const { return reused_; }
  void mark_reused() { reused_ = true; }

  // True when an idle connection can no longer carry a request: the peer closed it, reset
  // it, or sent bytes nobody asked for. Does not block.
  bool stale();
  void close();

 private:
  std::variant<beast::tcp_stream, TlsStream> stream_;
  beast::flat_buffer buffer_;
  bool reused_ = false;
};

struct ConnectParams {
  Url url;
  asio::ssl::context* tls = nullptr;  // required for https
  bool verify_peer = true;
  SteadyTime connect_deadline;  // for the name lookup and TCP connect
  SteadyTime request_deadline;  // for the TLS handshake
};

// Opens a connection to params.url's origin: resolves the host, connects (trying each
// address), and for https sets SNI, the host name check and handshakes. Errors carry a
// stage ("connect", "TLS handshake") and the system error; the caller adds context.
struct ConnectError {
  std::string stage;
  boost::system::error_code ec;
  bool connect_deadline_hit = false;  // timed out while connecting rather than handshaking
};
asio::awaitable<std::variant<std::unique_ptr<Connection>, ConnectError>> connect(
    asio::any_io_executor executor, ConnectParams params);

}  // namespace cupola::http::detail
