#pragma once

#include <string_view>

#include "test/common/http/client/test_server.h"

namespace cupola::http::testing {

// A fresh P-256 key and a self-signed certificate (valid for one day) whose subject
// alternative name is the IP address `ip`; it is its own CA. Throws on OpenSSL failure.
TlsIdentity make_self_signed(std::string_view ip);

}  // namespace cupola::http::testing
