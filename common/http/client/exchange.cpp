#include "common/http/client/exchange.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

namespace cupola::http::detail {

WireRequest to_wire(const ClientRequest& req, const Url& url, std::string_view user_agent) {
  WireRequest wire;
  wire.method_string(method_name(req.method));
  wire.target(url.target);
  wire.version(11);
  wire.set(http::field::host, url.host_header());
  for (const Header& h : req.headers) wire.insert(h.name, h.value);
  if (wire.find(http::field::user_agent) == wire.end()) {
    wire.set(http::field::user_agent, user_agent);
  }
  wire.body() = req.body;
  const bool bodiless = req.method == Method::Get || req.method == Method::Head ||
                        req.method == Method::Delete || req.method == Method::Options;
  if (!(bodiless && req.body.empty())) wire.prepare_payload();
  return wire;
}

ClientResponse from_wire(WireResponse&& wire) {
  ClientResponse res;
  res.status = wire.result_int();
  for (const auto& field : wire) {
    res.headers.push_back(Header{std::string(field.name_string()), std::string(field.value())});
  }
  res.body = std::move(wire.body());
  return res;
}

namespace {

// Writes the request a piece at a time, telling `progress` how much of the body is out.
asio::awaitable<boost::system::error_code> write_with_progress(Connection& conn,
                                                               const WireRequest& req,
                                                               ProgressHandler progress) {
  const auto token = asio::as_tuple(asio::use_awaitable);
  http::request_serializer<http::string_body> sr{req};
  sr.limit(64 * 1024);
  auto [hec, header_bytes] = co_await conn.visit(
      [&](auto& stream) { return http::async_write_header(stream, sr, token); });
  if (hec) co_return hec;
  const std::uint64_t total = req.body().size();
  std::uint64_t sent = 0;
  progress(0, total);
  while (!sr.is_done()) {
    auto [ec, n] = co_await conn.visit(
        [&](auto& stream) { return http::async_write_some(stream, sr, token); });
    if (ec) co_return ec;
    sent = std::min<std::uint64_t>(total, sent + n);
    progress(sent, total);
  }
  co_return boost::system::error_code{};
}

}  // namespace

asio::awaitable<Exchange> exchange(Connection& conn, const WireRequest& req, std::size_t body_limit,
                                   ProgressHandler progress) {
  const auto token = asio::as_tuple(asio::use_awaitable);
  Exchange out;

  boost::system::error_code wec;
  if (progress) {
    wec = co_await write_with_progress(conn, req, std::move(progress));
  } else {
    auto [ec, written] =
        co_await conn.visit([&](auto& stream) { return http::async_write(stream, req, token); });
    wec = ec;
  }
  if (wec) {
    out.ec = wec;
    out.stage = "send";
    co_return out;
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  if (req.method() == http::verb::head) parser.skip(true);
  auto [rec, read] = co_await conn.visit(
      [&](auto& stream) { return http::async_read(stream, conn.buffer(), parser, token); });
  out.got_response_bytes = parser.got_some();
  if (rec) {
    out.ec = rec;
    out.stage = "receive";
    co_return out;
  }
  out.keep_alive = parser.keep_alive();
  out.response = parser.release();
  co_return out;
}

}  // namespace cupola::http::detail
