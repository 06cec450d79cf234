#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cloud_controller/src/uaa/clients.h"
#include "common/core/result.h"

namespace cupola::cc::uaa {

// Decodes application/x-www-form-urlencoded text ("a=1&b=x+y%21"): '+' is a space, %XX an
// escaped byte; a name without '=' has an empty value; empty pairs are skipped. When a
// name repeats, the first value counts (as the servlet API's getParameter). An escape that
// is not two hex digits is Errc::InvalidArgument.
Result<std::map<std::string, std::string>> parse_form(std::string_view text);

// The client credentials of "Basic base64(id:secret)" (scheme in any case). RFC 6749 §2.3.1
// form-encodes id and secret before base64, so they are form-decoded here. nullopt when
// the header is not Basic or does not decode.
std::optional<ClientCredentials> parse_basic_auth(std::string_view authorization_header);

// The "origin" of the cf CLI's login_hint parameter, {"origin":"ldap"}; nullopt when the
// hint is absent, not JSON or names no origin.
std::optional<std::string> login_hint_origin(std::string_view login_hint);

}  // namespace cupola::cc::uaa
