#pragma once

#include <boost/asio/ssl/context.hpp>

#include "common/core/result.h"
#include "common/http/client/options.h"

namespace cupola::http::detail {

// Internal. A TLS client context (TLS 1.2 or newer): trusts options.ca_file when set,
// else the system's default CA store. Errc::InvalidArgument when the CA file cannot be
// loaded. Peer verification itself is switched per connection (see connect()).
Result<boost::asio::ssl::context> make_tls_context(const TlsOptions& options);

}  // namespace cupola::http::detail
