#include "gorouter/proxy/backend_pool.h"

#include <poll.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::router {
namespace asio = boost::asio;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

// An idle keep-alive connection is usable when nothing is waiting to be read on it: data
// or EOF there means the backend closed it or broke the protocol.
bool still_idle(tcp::socket& s) {
  pollfd p{s.native_handle(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace

std::optional<BackendPool::Connection> BackendPool::take_idle(std::string_view address,
                                                              bool check) {
  auto it = idle_.find(address);
  if (it == idle_.end()) return std::nullopt;
  auto& list = it->second;
  while (!list.empty()) {
    tcp::socket s = std::move(list.back());
    list.pop_back();
    if (!check || still_idle(s)) return Connection{std::move(s), true};
  }
  return std::nullopt;
}

asio::awaitable<Result<BackendPool::Connection>> BackendPool::connect(
    std::string host, std::uint16_t port, std::chrono::milliseconds timeout) {
  std::string address = host + ":" + std::to_string(port);
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (ec) {
    co_return make_error(make_error_code(Errc::InvalidArgument),
                         "backend address " + host + " is not an IP address");
  }
  tcp::socket socket(ex_);
  asio::steady_timer timer(ex_, timeout);
  tcp::endpoint endpoint(ip, port);
  auto result = co_await (socket.async_connect(endpoint, asio::as_tuple(asio::use_awaitable)) ||
                          timer.async_wait(asio::as_tuple(asio::use_awaitable)));
  if (result.index() == 1) {
    co_return make_error(make_error_code(Errc::Timeout), "dial " + address + ": timed out");
  }
  auto [connect_ec] = std::get<0>(result);
  if (connect_ec) {
    co_return make_error(make_error_code(Errc::Unavailable),
                         "dial " + address + ": " + connect_ec.message());
  }
  socket.set_option(tcp::no_delay(true), ec);
  co_return Connection{std::move(socket), false};
}

void BackendPool::release(std::string_view address, tcp::socket socket) {
  auto it = idle_.find(address);
  if (it == idle_.end()) it = idle_.try_emplace(std::string(address)).first;
  auto& list = it->second;
  if (list.size() >= max_idle_) return;
  list.push_back(std::move(socket));
}

std::size_t BackendPool::idle() const {
  std::size_t n = 0;
  for (const auto& [address, list] : idle_) n += list.size();
  return n;
}

}  // namespace cupola::router
