#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cupola {

// Standard base64 (RFC 4648) with padding.
std::string base64_encode(std::string_view bytes);
// Decodes standard base64 with or without padding; nullopt on any other byte.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace cupola
