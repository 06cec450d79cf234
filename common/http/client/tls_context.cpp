#include "common/http/client/tls_context.h"

#include <fmt/format.h>

namespace cupola::http::detail {

namespace ssl = boost::asio::ssl;

Result<ssl::context> make_tls_context(const TlsOptions& options) {
  ssl::context ctx(ssl::context::tls_client);
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  ec);
  if (ec) return make_error(Errc::Internal, "cannot set TLS options: " + ec.message());
  if (!options.ca_file.empty()) {
    ctx.load_verify_file(options.ca_file, ec);
    if (ec) {
      return make_error(Errc::InvalidArgument, fmt::format("cannot load CA file \"{}\": {}",
                                                           options.ca_file, ec.message()));
    }
  } else {
    ctx.set_default_verify_paths(ec);
    if (ec) {
      return make_error(Errc::Internal, "cannot load the system CA store: " + ec.message());
    }
  }
  return ctx;
}

}  // namespace cupola::http::detail
