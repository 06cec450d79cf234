#pragma once

#include <optional>
#include <string_view>

namespace cupola::router {

// The value of an X-Cf-App-Instance header, "APP_GUID:INDEX": the request must go to that
// instance (Pool::find_app_instance).
struct AppInstance {
  std::string_view app_id;
  std::string_view index;
};

// Parses the header as gorouter does: a lower-case 8-4-4-4-12 hex GUID, ':', decimal digits.
// Nullopt when malformed (gorouter answers 400). The views point into `value`.
std::optional<AppInstance> parse_app_instance_header(std::string_view value);

}  // namespace cupola::router
