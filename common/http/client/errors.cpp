#include "common/http/client/errors.h"

#include <fmt/format.h>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include "common/core/time.h"

namespace cupola::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

Error transport_error(std::string_view context, std::string_view stage,
                      boost::system::error_code ec, std::chrono::milliseconds timeout,
                      std::size_t body_limit) {
  if (ec == beast::error::timeout) {
    return make_error(Errc::Timeout, fmt::format("{}: {} timed out after {}", context, stage,
                                                 format_duration(timeout)));
  }
  if (ec == beast::http::error::body_limit) {
    return make_error(
        Errc::LimitExceeded,
        fmt::format("{}: response body exceeds the limit of {} bytes", context, body_limit));
  }
  if (ec == asio::error::operation_aborted) {
    return make_error(Errc::Cancelled, fmt::format("{}: {} cancelled", context, stage));
  }
  return make_error(Errc::Unavailable,
                    fmt::format("{}: {} failed: {}", context, stage, ec.message()));
}

bool is_stale_connection_error(boost::system::error_code ec) {
  return ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::ssl::error::stream_truncated;
}

}  // namespace cupola::http::detail
