#include "service_broker/src/middleware.h"

#include <openssl/crypto.h>

#include <cctype>
#include <charconv>

#include "common/core/base64.h"
#include "service_broker/src/responses.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

namespace {

constexpr int kMinMinor = 13;

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string decode_originating_identity(std::string_view header) {
  auto space = header.find(' ');
  std::string platform(header.substr(0, space));
  if (space == std::string_view::npos) return platform + " (undecodable)";
  auto decoded = base64_decode(header.substr(space + 1));
  if (!decoded) return platform + " (undecodable)";
  return platform + " " + *decoded;
}

bool supported_api_version(std::string_view header) {
  auto dot = header.find('.');
  if (dot == std::string_view::npos) return false;
  int major = 0, minor = 0;
  auto m = std::from_chars(header.data(), header.data() + dot, major);
  auto n = std::from_chars(header.data() + dot + 1, header.data() + header.size(), minor);
  if (m.ec != std::errc{} || m.ptr != header.data() + dot) return false;
  if (n.ec != std::errc{} || n.ptr != header.data() + header.size()) return false;
  return major == 2 && minor >= kMinMinor;
}

http::Middleware request_log(log::Logger log) {
  return
      [log](http::RequestContext& ctx, const http::Next& next) -> asio::awaitable<http::Response> {
        auto response = co_await next(ctx);
        log::Data data{{"method", std::string(ctx.request.method_string())},
                       {"path", std::string(ctx.path())},
                       {"status", static_cast<int>(response.result_int())}};
        std::string_view request_id = ctx.request["X-Broker-API-Request-Identity"];
        if (!request_id.empty()) {
          data.emplace_back("request_identity", std::string(request_id));
          response.set("X-Broker-API-Request-Identity", request_id);
        }
        std::string_view identity = ctx.request["X-Broker-API-Originating-Identity"];
        if (!identity.empty()) {
          data.emplace_back("originating_identity", decode_originating_identity(identity));
        }
        log.info("request", data);
        co_return response;
      };
}

http::Middleware basic_auth(std::string username, std::string password) {
  std::string expected = "Basic " + base64_encode(username + ":" + password);
  return [expected](http::RequestContext& ctx,
                    const http::Next& next) -> asio::awaitable<http::Response> {
    std::string_view given = ctx.request[http::bhttp::field::authorization];
    // The scheme is case-insensitive; the credentials are compared in constant time.
    bool ok = starts_with_nocase(given, "basic ") && given.size() == expected.size() &&
              CRYPTO_memcmp(given.data() + 6, expected.data() + 6, expected.size() - 6) == 0;
    if (!ok) {
      auto res = osb_error(http::StatusCode::unauthorized, "Unauthorized",
                           "Authenticate with the broker's username and password (HTTP basic).");
      res.set(http::bhttp::field::www_authenticate, "Basic realm=\"cupola-pg-broker\"");
      co_return res;
    }
    co_return co_await next(ctx);
  };
}

http::Middleware api_version() {
  return [](http::RequestContext& ctx, const http::Next& next) -> asio::awaitable<http::Response> {
    std::string_view version = ctx.request["X-Broker-API-Version"];
    if (!supported_api_version(version)) {
      std::string got = version.empty() ? "none" : std::string(version);
      co_return osb_error(http::StatusCode::precondition_failed, "PreconditionFailed",
                          "X-Broker-API-Version 2.13 or later is required (got " + got + ").");
    }
    co_return co_await next(ctx);
  };
}

}  // namespace cupola::pg_broker
