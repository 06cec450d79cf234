#include "test/common/http/client/test_server.h"

#include <limits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_generator.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace cupola::http::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

TestServer::TestServer(Handler handler, std::optional<TlsIdentity> tls)
    : handler_(std::move(handler)), acceptor_(io_), gate_timer_(io_) {
  if (tls) {
    tls_.emplace(asio::ssl::context::tls_server);
    tls_->use_certificate_chain(asio::buffer(tls->cert_pem));
    tls_->use_private_key(asio::buffer(tls->key_pem), asio::ssl::context::pem);
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

TestServer::~TestServer() {
  io_.stop();
  thread_.join();
}

std::string TestServer::url(std::string_view path) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
         std::string(path);
}

bool TestServer::wait_closed(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return closed_ >= n; });
}

void TestServer::open_gate() {
  asio::post(io_, [this] {
    ++gates_opened_;
    gate_timer_.cancel();
  });
}

void TestServer::note_closed() {
  std::lock_guard lock(mu_);
  ++closed_;
  cv_.notify_all();
}

asio::awaitable<void> TestServer::wait_gate(std::size_t n) {
  while (gates_opened_ < n) {
    gate_timer_.expires_at(asio::steady_timer::time_point::max());
    co_await gate_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> TestServer::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    ++accepted_;
    if (tls_) {
      beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls_);
      asio::co_spawn(io_, session(std::move(stream)), asio::detached);
    } else {
      asio::co_spawn(io_, session(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }
}

template <class Stream>
asio::awaitable<void> TestServer::session(Stream stream) {
  const auto token = asio::as_tuple(asio::use_awaitable);
  beast::flat_buffer buffer;
  bool handshaken = true;
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::server, token);
    handshaken = !hec;
  }
  for (std::size_t index = 0; handshaken; ++index) {
    WireRequest req;
    auto [rec, read] = co_await bhttp::async_read(stream, buffer, req, token);
    if (rec) break;
    ++requests_;
    Reply reply = handler_(req, index);

    if (reply.kind == Reply::Kind::CloseWithoutAnswer) break;
    if (reply.kind == Reply::Kind::NeverAnswer) {
      WireRequest ignored;
      co_await bhttp::async_read(stream, buffer, ignored, token);  // until the peer leaves
      break;
    }
    if (reply.kind == Reply::Kind::Respond) {
      bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(reply.status), 11};
      res.set(bhttp::field::content_type, reply.content_type);
      res.body() = reply.body;
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, written] = co_await bhttp::async_write(stream, res, token);
      if (wec) break;
    } else {
      bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(reply.status), 11};
      res.set(bhttp::field::content_type, reply.content_type);
      res.keep_alive(req.keep_alive());
      res.chunked(true);
      bhttp::response_serializer<bhttp::empty_body> sr{res};
      auto [hec, header_bytes] = co_await bhttp::async_write_header(stream, sr, token);
      if (hec) break;
      bool failed = false;
      for (std::size_t i = 0; i < reply.chunks.size() && !failed; ++i) {
        if (reply.gated && i > 0) co_await wait_gate(i);
        auto [cec, n] = co_await asio::async_write(
            stream, bhttp::make_chunk(asio::buffer(reply.chunks[i])), token);
        failed = static_cast<bool>(cec);
      }
      if (failed) break;
      if (reply.hang_after_chunks) {
        co_await wait_gate(std::numeric_limits<std::size_t>::max());
        break;
      }
      auto [lec, m] = co_await asio::async_write(stream, bhttp::make_chunk_last(), token);
      if (lec) break;
    }
    if (reply.close_after || !req.keep_alive()) break;
  }
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream).close();
  note_closed();
}

}  // namespace cupola::http::testing
