#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace cupola::http::testing {

// What the test server does with one request.
struct Reply {
  enum class Kind {
    Respond,             // a normal response with Content-Length
    Chunked,             // `chunks` with chunked transfer encoding, each flushed at once
    CloseWithoutAnswer,  // close the connection instead of answering
    NeverAnswer,         // keep the connection open and say nothing until the peer leaves
  };
  Kind kind = Kind::Respond;
  unsigned status = 200;
  std::string content_type = "text/plain";
  std::string body;
  std::vector<std::string> chunks;
  // Chunked: before each chunk after the first, wait until open_gate() has been called
  // once more; with `hang_after_chunks`, after the last chunk wait forever instead of
  // ending the body.
  bool gated = false;
  bool hang_after_chunks = false;
  // Close the connection after answering, without announcing it (no Connection: close).
  bool close_after = false;
};

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
// Called on the server's thread with each request and its index on its connection (0 for
// the first request on a connection).
using Handler = std::function<Reply(const WireRequest& req, std::size_t index_on_connection)>;

struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
};

// A small HTTP/1.1 server on 127.0.0.1 (port chosen by the kernel) running on its own
// thread, for client tests. Counts connections. Optionally TLS.
class TestServer {
 public:
  explicit TestServer(Handler handler, std::optional<TlsIdentity> tls = std::nullopt);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return port_; }
  // "http://127.0.0.1:<port><path>" (https with TLS).
  std::string url(std::string_view path) const;

  std::size_t accepted() const { return accepted_.load(); }
  std::size_t requests() const { return requests_.load(); }
  // Waits until the server has closed `n` connections in all; false after `timeout`.
  bool wait_closed(std::size_t n, std::chrono::milliseconds timeout);
  // Lets a gated chunked reply send its next chunk. Thread-safe.
  void open_gate();

 private:
  template <class Stream>
  boost::asio::awaitable<void> session(Stream stream);
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> wait_gate(std::size_t n);
  void note_closed();

  Handler handler_;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer gate_timer_;
  std::size_t gates_opened_ = 0;  // server thread only
  unsigned short port_ = 0;
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> requests_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::size_t closed_ = 0;
  std::thread thread_;
};

}  // namespace cupola::http::testing
