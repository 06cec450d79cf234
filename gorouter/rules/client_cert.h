#pragma once

// X-Forwarded-Client-Cert per the forwarded_client_cert setting (see ForwardedClientCert):
// the header the backend sees carries the certificate of the client that called the router,
// never one a client made up, unless the operator chose to trust the clients (AlwaysForward).

#include "gorouter/rules/request_context.h"

namespace cupola::router::rules {

// The request rule.
void apply_forwarded_client_cert(RequestRuleContext& ctx);

}  // namespace cupola::router::rules
