#include "gorouter/proxy/workers.h"

#include <sys/socket.h>

#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::router {
namespace asio = boost::asio;
using asio::ip::tcp;

struct Workers::Loop {
  Loop(ProxyContext& ctx, std::size_t max_idle, std::uint64_t seed)
      : ctx(ctx), guard(io.get_executor()), state(io.get_executor(), max_idle, ctx.routes, seed) {}

  asio::awaitable<void> accept(tcp::acceptor& acceptor, asio::ssl::context* tls) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      if (ec) continue;  // EMFILE and the like: try the next one
      if (tls != nullptr) {
        asio::co_spawn(io, serve_tls_client(std::move(socket), *tls, ctx, state), asio::detached);
      } else {
        asio::co_spawn(io, serve_client(std::move(socket), ctx, state), asio::detached);
      }
    }
  }

  ProxyContext& ctx;
  // Only this loop's thread touches its sockets, so the reactor's per-socket locks go; posting
  // to the loop from other threads stays safe.
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::vector<std::pair<std::unique_ptr<tcp::acceptor>, bool>> acceptors;  // (acceptor, tls)
  LoopState state;
  std::thread thread;
};

Workers::Workers(ProxyContext& ctx, int threads, std::size_t max_idle) : ctx_(ctx) {
  int n =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::random_device entropy;
  for (int i = 0; i < n; ++i) {
    std::uint64_t seed = (std::uint64_t{entropy()} << 32) | entropy();
    loops_.push_back(std::make_unique<Loop>(ctx, max_idle, seed));
  }
}

Workers::~Workers() { join(); }

Status Workers::listen(const std::string& address, std::uint16_t port) {
  port_ = port;
  return bind_all(address, port_, false);
}

Status Workers::listen_tls(const std::string& address, std::uint16_t port,
                           asio::ssl::context& tls_context) {
  tls_context_ = &tls_context;
  tls_port_ = port;
  return bind_all(address, tls_port_, true);
}

Status Workers::bind_all(const std::string& address, std::uint16_t& port, bool tls) {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address, ec);
  if (ec) return make_error(make_error_code(Errc::InvalidArgument), "bad address " + address);
  for (auto& loop : loops_) {
    tcp::endpoint endpoint(ip, port);
    loop->acceptors.emplace_back(std::make_unique<tcp::acceptor>(loop->io), tls);
    auto& a = *loop->acceptors.back().first;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    int one = 1;
    if (!ec && ::setsockopt(a.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
      ec.assign(errno, boost::system::system_category());
    }
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return make_error(make_error_code(Errc::Unavailable), "cannot listen on " + address + ":" +
                                                                std::to_string(endpoint.port()) +
                                                                ": " + ec.message());
    }
    port = a.local_endpoint().port();
  }
  return {};
}

void Workers::start() {
  for (auto& loop : loops_) {
    for (auto& [acceptor, tls] : loop->acceptors) {
      asio::co_spawn(loop->io, loop->accept(*acceptor, tls ? tls_context_ : nullptr),
                     asio::detached);
    }
    loop->thread = std::thread([l = loop.get()] { l->io.run(); });
  }
}

void Workers::stop_accepting() {
  for (auto& loop : loops_) {
    asio::post(loop->io, [l = loop.get()] {
      boost::system::error_code ec;
      for (auto& [acceptor, tls] : l->acceptors) acceptor->close(ec);
    });
  }
}

void Workers::join() {
  for (auto& loop : loops_) {
    loop->guard.reset();
    loop->io.stop();
  }
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) loop->thread.join();
  }
}

}  // namespace cupola::router
