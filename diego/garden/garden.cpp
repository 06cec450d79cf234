#include "diego/garden/garden.h"

namespace cupola::garden {

std::optional<unsigned> uid_for_user(std::string_view user) {
  if (user == "vcap" || user.empty()) return 2000u;
  if (user == "root") return 0u;
  return std::nullopt;
}

Status validate_handle(std::string_view handle) {
  auto bad = [&](std::string why) {
    return make_error(
        make_error_code(Errc::InvalidArgument),
        "invalid container handle '" + std::string(handle.substr(0, 140)) + "': " + why);
  };
  if (handle.empty() || handle.size() > 128) return bad("it must have 1 to 128 characters");
  if (handle == "." || handle == "..") return bad("it may not be . or ..");
  for (char c : handle) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return bad("use only letters, digits, '-', '_' and '.'");
  }
  return {};
}

}  // namespace cupola::garden
