#pragma once

// Reading and writing the router's two sides: a buffer that is consumed from the front and
// filled at the back, and coroutines that fill it and write gathered pieces.

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string_view>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace cupola::router {

inline constexpr std::size_t kReadChunk = 16 * 1024;
inline constexpr auto kAwait = boost::asio::as_tuple(boost::asio::use_awaitable);

// Bytes read from one side and not yet used: consumed from the front, filled at the back,
// grown only when a message needs it, never zero-filled.
class Buffer {
 public:
  operator std::string_view() const { return {data_.get() + begin_, end_ - begin_}; }
  bool empty() const { return begin_ == end_; }
  std::size_t size() const { return end_ - begin_; }
  // Drops `n` bytes from the front (the first argument is the position, always 0).
  void erase(std::size_t, std::size_t n) {
    begin_ += std::min(n, size());
    if (begin_ == end_) begin_ = end_ = 0;
  }
  // Room for at least `n` more bytes at the back.
  char* prepare(std::size_t n) {
    if (cap_ - end_ < n && begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (cap_ - end_ < n) {
      std::size_t cap = std::max(cap_ * 2, end_ + n);
      auto bigger = std::make_unique_for_overwrite<char[]>(cap);
      if (end_ > 0) std::memcpy(bigger.get(), data_.get(), end_);
      data_ = std::move(bigger);
      cap_ = cap;
    }
    return data_.get() + end_;
  }
  void commit(std::size_t n) { end_ += n; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t begin_ = 0, end_ = 0, cap_ = 0;
};

// The TCP socket under a stream.
inline boost::asio::ip::tcp::socket& lowest_socket(boost::asio::ip::tcp::socket& s) { return s; }
inline boost::asio::ip::tcp::socket& lowest_socket(
    boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& s) {
  return s.next_layer();
}

// Reads more bytes onto the end of `buf`; 0 at EOF, on error or timeout.
template <class Stream>
boost::asio::awaitable<std::size_t> read_more(Stream& stream, Buffer& buf) {
  char* at = buf.prepare(kReadChunk);
  auto [ec, n] = co_await stream.async_read_some(boost::asio::buffer(at, kReadChunk), kAwait);
  if (ec) co_return 0;
  buf.commit(n);
  co_return n;
}

// Writes the pieces in one gather write.
template <class Stream>
boost::asio::awaitable<bool> write_all(Stream& stream, std::string_view a, std::string_view b = {},
                                       std::string_view c = {}, std::string_view d = {}) {
  std::array<boost::asio::const_buffer, 4> bufs{
      boost::asio::buffer(a.data(), a.size()), boost::asio::buffer(b.data(), b.size()),
      boost::asio::buffer(c.data(), c.size()), boost::asio::buffer(d.data(), d.size())};
  auto [ec, n] = co_await boost::asio::async_write(stream, bufs, kAwait);
  co_return !ec;
}

// Copies both ways between two streams (after a protocol switch) until each side has
// closed its half; a side that ends shuts the other's sending half down.
template <class A, class B>
boost::asio::awaitable<void> splice(A& a, B& b) {
  auto pump = [](auto& from, auto& to) -> boost::asio::awaitable<void> {
    Buffer buf;
    for (;;) {
      buf.erase(0, buf.size());
      if (co_await read_more(from, buf) == 0) break;
      if (!co_await write_all(to, buf)) break;
    }
    boost::system::error_code ignored;
    lowest_socket(to).shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  };
  using namespace boost::asio::experimental::awaitable_operators;
  co_await (pump(a, b) && pump(b, a));
}

}  // namespace cupola::router
