#pragma once

#include <chrono>
#include <string_view>

#include <boost/system/error_code.hpp>

#include "common/core/error.h"

namespace cupola::http::detail {

// Internal. Turns a transport failure into an Error whose message reads
// "<context>: <stage> failed: <reason>", where context names the method and URL:
//   beast timeout          -> Errc::Timeout ("... timed out after 200ms")
//   body limit             -> Errc::LimitExceeded
//   operation aborted      -> Errc::Cancelled
//   anything else          -> Errc::Unavailable
Error transport_error(std::string_view context, std::string_view stage,
                      boost::system::error_code ec, std::chrono::milliseconds timeout,
                      std::size_t body_limit = 0);

// True for the ways a reused keep-alive connection fails when the server had already
// closed it: nothing of a response arrived, the peer closed or reset.
bool is_stale_connection_error(boost::system::error_code ec);

}  // namespace cupola::http::detail
