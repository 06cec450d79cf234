#pragma once

// Runs an http::Server on its own thread for tests, and a blocking client to talk to it.

#include <future>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "common/http/server.h"
#include "common/log/log.h"

namespace cupola::http::test {

namespace asio = boost::asio;

class ServerFixture {
 public:
  ServerFixture(Router router, ServerOptions options = {},
                std::function<void(Server&)> configure = {})
      : sink_(std::make_shared<log::MemorySink>()),
        logger_(sink_, clock_, "test", log::Level::Debug),
        server_(std::make_shared<Server>(io_.get_executor(), std::move(options), std::move(router),
                                         logger_)) {
    if (configure) configure(*server_);
    thread_ = std::thread([this] { io_.run(); });
    asio::co_spawn(io_, server_->start(), asio::use_future).get();
    run_done_ = asio::co_spawn(io_, server_->run(), asio::use_future);
  }
  ~ServerFixture() { stop(); }

  unsigned short port() const { return server_->port(); }
  Server& server() { return *server_; }
  log::MemorySink& logs() { return *sink_; }

  // Stops the server on its thread and waits until run() has drained.
  void stop() {
    if (!thread_.joinable()) return;
    asio::post(io_, [s = server_] { s->stop(); });
    run_done_.wait_for(std::chrono::seconds(30));
    work_.reset();
    io_.stop();
    thread_.join();
  }
  // Asks the server to stop without waiting.
  void request_stop() {
    asio::post(io_, [s = server_] { s->stop(); });
  }
  bool run_finished_within(std::chrono::milliseconds t) {
    return run_done_.wait_for(t) == std::future_status::ready;
  }

 private:
  FakeClock clock_;
  std::shared_ptr<log::MemorySink> sink_;
  log::Logger logger_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::shared_ptr<Server> server_;
  std::future<void> run_done_;
  std::thread thread_;
};

// One blocking keep-alive connection.
class BlockingClient {
 public:
  explicit BlockingClient(unsigned short port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  }

  Response request(Request req) {
    req.version(11);
    if (!req.count(bhttp::field::host)) req.set(bhttp::field::host, "127.0.0.1");
    req.prepare_payload();
    // A server may answer (413, say) and stop reading before the body is all sent: the
    // answer is still there to read.
    boost::system::error_code ec;
    bhttp::write(socket_, req, ec);
    return read();
  }
  // A HEAD response has no body whatever its Content-Length says.
  Response head(const std::string& target) {
    Request req{Verb::head, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(socket_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(true);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }
  Response get(const std::string& target) { return request(Request{Verb::get, target, 11}); }
  Response read() {
    Response res;
    bhttp::read(socket_, buffer_, res);
    return res;
  }
  // Sends bytes as they are, for malformed requests.
  void send_raw(std::string_view bytes) { asio::write(socket_, asio::buffer(bytes)); }
  // True when the server has closed the connection (reads EOF).
  bool closed_by_server() {
    boost::system::error_code ec;
    char c;
    socket_.read_some(asio::buffer(&c, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  asio::ip::tcp::socket& socket() { return socket_; }
  boost::beast::flat_buffer& buffer() { return buffer_; }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace cupola::http::test
