#include "gorouter/rules/client_cert.h"

#include "gorouter/rules/names.h"

namespace cupola::router::rules {

void apply_forwarded_client_cert(RequestRuleContext& ctx) {
  const bool presented = ctx.client.tls && ctx.client.client_cert_base64.has_value();
  switch (ctx.options.forwarded_client_cert) {
    case ForwardedClientCert::AlwaysForward:
      return;
    case ForwardedClientCert::Forward:
      if (!presented) remove_header(ctx.headers, kXForwardedClientCert);
      return;
    case ForwardedClientCert::SanitizeSet:
      remove_header(ctx.headers, kXForwardedClientCert);
      if (presented) add_header(ctx.headers, kXForwardedClientCert, *ctx.client.client_cert_base64);
      return;
  }
}

}  // namespace cupola::router::rules
