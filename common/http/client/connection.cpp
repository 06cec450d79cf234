#include "common/http/client/connection.h"

#include <sys/socket.h>

#include <cerrno>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::http::detail {

beast::tcp_stream& Connection::tcp() {
  return std::visit(
      [](auto& s) -> beast::tcp_stream& {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, beast::tcp_stream>) {
          return s;
        } else {
          return s.next_layer();
        }
      },
      stream_);
}

bool Connection::stale() {
  auto& socket = tcp().socket();
  if (!socket.is_open() || buffer_.size() > 0) return true;
  char byte = 0;
  const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n >= 0) return true;  // 0: closed by the peer; >0: bytes nobody asked for
  return errno != EAGAIN && errno != EWOULDBLOCK;
}

void Connection::close() {
  boost::system::error_code ignored;
  tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  tcp().close();
}

asio::awaitable<std::variant<std::unique_ptr<Connection>, ConnectError>> connect(
    asio::any_io_executor executor, ConnectParams params) {
  using Out = std::variant<std::unique_ptr<Connection>, ConnectError>;
  const auto token = asio::as_tuple(asio::use_awaitable);

  // Name lookup has no timeout of its own; addresses resolve at once. `localhost` and every
  // name under it are the loopback address (RFC 6761), whatever the system's resolver says.
  const std::string& host = params.url.host;
  const bool loopback_name =
      host == "localhost" ||
      (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0);
  const std::string lookup = loopback_name ? std::string("127.0.0.1") : host;
  asio::ip::tcp::resolver resolver(executor);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(lookup, std::to_string(params.url.port), token);
  if (rec) co_return Out(ConnectError{"name lookup", rec});

  beast::tcp_stream tcp(executor);
  tcp.expires_at(params.connect_deadline);
  auto [cec, endpoint] = co_await tcp.async_connect(endpoints, token);
  if (cec) co_return Out(ConnectError{"connect", cec, true});
  tcp.socket().set_option(asio::ip::tcp::no_delay(true));

  if (!params.url.tls()) {
    tcp.expires_never();
    co_return Out(std::make_unique<Connection>(std::move(tcp)));
  }

  Connection::TlsStream tls(std::move(tcp), *params.tls);
  if (!params.url.host_is_address() &&
      !SSL_set_tlsext_host_name(tls.native_handle(), params.url.host.c_str())) {
    co_return Out(ConnectError{
        "TLS handshake", {static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()}});
  }
  if (params.verify_peer) {
    tls.set_verify_mode(asio::ssl::verify_peer);
    tls.set_verify_callback(asio::ssl::host_name_verification(params.url.host));
  } else {
    tls.set_verify_mode(asio::ssl::verify_none);
  }
  tls.next_layer().expires_at(params.request_deadline);
  auto [hec] = co_await tls.async_handshake(asio::ssl::stream_base::client, token);
  if (hec) co_return Out(ConnectError{"TLS handshake", hec});
  tls.next_layer().expires_never();
  co_return Out(std::make_unique<Connection>(std::move(tls)));
}

}  // namespace cupola::http::detail
