#pragma once

#include <cstddef>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/http/client/connection.h"
#include "common/http/client/message.h"

namespace cupola::http::detail {

namespace http = boost::beast::http;
using WireRequest = http::request<http::string_body>;
using WireResponse = http::response<http::string_body>;

// Internal. How one request/response round trip on a connection went.
struct Exchange {
  boost::system::error_code ec;
  std::string_view stage;           // "send" or "receive" when ec is set
  bool got_response_bytes = false;  // some of a response arrived before ec
  bool keep_alive = false;          // the connection may carry another request
  WireResponse response;
};

// Builds the wire request for `req` to `url`, adding Host, User-Agent and Content-Length.
WireRequest to_wire(const ClientRequest& req, const Url& url, std::string_view user_agent);

// Converts a wire response into the public one.
ClientResponse from_wire(WireResponse&& wire);

// Sends `req` and reads the whole response (at most `body_limit` body bytes) on `conn`,
// under whatever expiry the caller set on conn.tcp(). `progress`, when set, hears how much of
// the body has been sent after each piece (of at most 64 KiB).
asio::awaitable<Exchange> exchange(Connection& conn, const WireRequest& req, std::size_t body_limit,
                                   ProgressHandler progress = {});

}  // namespace cupola::http::detail
