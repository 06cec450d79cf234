#include "gorouter/route/instance_header.h"

namespace cupola::router {
namespace {

bool lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool is_lower_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !lower_hex(s[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<AppInstance> parse_app_instance_header(std::string_view value) {
  auto colon = value.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view guid = value.substr(0, colon);
  std::string_view index = value.substr(colon + 1);
  if (!is_lower_guid(guid) || index.empty()) return std::nullopt;
  for (char c : index) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return AppInstance{guid, index};
}

}  // namespace cupola::router
