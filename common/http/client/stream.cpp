// Client::stream: a response body delivered piece by piece as it arrives.
#include <array>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "common/http/client/client.h"
#include "common/http/client/client_impl.h"
#include "common/http/client/errors.h"
#include "common/http/client/exchange.h"

namespace cupola::http {

namespace {

namespace asio = boost::asio;
namespace beasthttp = boost::beast::http;
using detail::Connection;

constexpr std::size_t kChunkBytes = 16 * 1024;

ClientResponse head_of(const beasthttp::response_parser<beasthttp::buffer_body>& parser) {
  ClientResponse res;
  res.status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    res.headers.push_back(Header{std::string(field.name_string()), std::string(field.value())});
  }
  return res;
}

// Lets a CancelToken fired on any thread cancel the pending operation on `conn`, on the
// connection's executor. Disarmed when the stream is done with the connection.
class CancelHook {
 public:
  CancelHook(CancelToken token, asio::any_io_executor ex, Connection& conn)
      : token_(std::move(token)), target_(std::make_shared<Connection*>(&conn)) {
    token_.set_hook([ex, target = target_] {
      asio::post(ex, [target] {
        if (*target) (*target)->tcp().cancel();
      });
    });
  }
  ~CancelHook() {
    token_.reset_hook();
    *target_ = nullptr;
  }
  CancelHook(const CancelHook&) = delete;
  CancelHook& operator=(const CancelHook&) = delete;

 private:
  CancelToken token_;
  std::shared_ptr<Connection*> target_;
};

}  // namespace

boost::asio::awaitable<Result<ClientResponse>> Client::stream(ClientRequest req,
                                                              BodyHandler on_body,
                                                              StreamOptions options) {
  auto url = parse_url(req.url);
  if (!url) co_return std::move(url).error();
  detail::ClientImpl& impl = *impl_;
  const std::string context = fmt::format("{} {}", method_name(req.method), url->str());
  auto fail = [&](std::string_view stage, boost::system::error_code ec) {
    Error err = options.cancel.cancelled()
                    ? make_error(Errc::Cancelled, fmt::format("{}: cancelled", context))
                    : detail::transport_error(context, stage, ec, options.idle_timeout,
                                              impl.options.max_body_bytes);
    if (err.code == Errc::Cancelled) {
      impl.log.debug("stream-cancelled", {{"url", url->str()}});
    } else {
      impl.log.error("stream-failed", err.message);
    }
    return err;
  };
  if (options.cancel.cancelled()) co_return fail("connect", {});

  const auto timeout = req.timeout.value_or(impl.options.request_timeout);
  auto conn = co_await impl.acquire(*url, context, std::chrono::steady_clock::now() + timeout,
                                    timeout, true);
  if (!conn) co_return std::move(conn).error();
  Connection& c = **conn;
  CancelHook hook(options.cancel, impl.executor, c);
  const auto token = asio::as_tuple(asio::use_awaitable);

  const detail::WireRequest wire = detail::to_wire(req, *url, impl.options.user_agent);
  c.tcp().expires_after(options.idle_timeout);
  auto [wec, written] =
      co_await c.visit([&](auto& s) { return beasthttp::async_write(s, wire, token); });
  if (wec) co_return fail("send", wec);

  beasthttp::response_parser<beasthttp::buffer_body> parser;
  parser.body_limit(boost::none);
  c.tcp().expires_after(options.idle_timeout);
  auto [hec, head_bytes] = co_await c.visit(
      [&](auto& s) { return beasthttp::async_read_header(s, c.buffer(), parser, token); });
  if (hec) co_return fail("receive", hec);
  ClientResponse head = head_of(parser);

  if (!head.ok()) {
    // An error status carries an explanation, not a stream: read it whole.
    beasthttp::response_parser<beasthttp::string_body> whole(std::move(parser));
    whole.body_limit(impl.options.max_body_bytes);
    auto [bec, body_bytes] = co_await c.visit(
        [&](auto& s) { return beasthttp::async_read(s, c.buffer(), whole, token); });
    if (bec) co_return fail("receive", bec);
    head.body = std::move(whole.get().body());
    co_return head;
  }

  std::array<char, kChunkBytes> buf;
  bool stopped = options.on_head && !options.on_head(head);
  while (!stopped && !parser.is_done()) {
    if (options.cancel.cancelled()) co_return fail("receive", {});
    parser.get().body().data = buf.data();
    parser.get().body().size = buf.size();
    parser.get().body().more = true;
    c.tcp().expires_after(options.idle_timeout);
    auto [ec, n] = co_await c.visit(
        [&](auto& s) { return beasthttp::async_read_some(s, c.buffer(), parser, token); });
    if (ec && ec != beasthttp::error::need_buffer) co_return fail("receive", ec);
    const std::size_t got = buf.size() - parser.get().body().size;
    if (got > 0 && !on_body(std::string_view(buf.data(), got))) {
      stopped = true;
      break;
    }
  }
  if (!stopped && parser.keep_alive()) impl.release(*url, std::move(*conn));
  impl.log.debug("stream-ended", {{"url", url->str()}, {"stopped", stopped}});
  co_return head;
}

}  // namespace cupola::http
