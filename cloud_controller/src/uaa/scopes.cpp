#include "cloud_controller/src/uaa/scopes.h"

#include <algorithm>

namespace cupola::cc::uaa {

std::vector<std::string> user_scopes(bool admin) {
  std::vector<std::string> scopes = {"openid", "cloud_controller.read", "cloud_controller.write",
                                     "password.write", "uaa.user"};
  if (admin) {
    for (const char* s : {"cloud_controller.admin", "uaa.admin", "scim.read", "scim.write",
                          "doppler.firehose", "logs.admin"}) {
      scopes.emplace_back(s);
    }
  }
  return scopes;
}

std::vector<std::string> audiences(std::string_view client_id,
                                   const std::vector<std::string>& scopes) {
  std::vector<std::string> out;
  auto add = [&out](std::string_view id) {
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.emplace_back(id);
  };
  add(client_id);
  for (const auto& scope : scopes) {
    if (scope == "openid") {
      add(scope);
      continue;
    }
    auto dot = scope.rfind('.');
    if (dot != std::string::npos && dot + 1 < scope.size() && scope != "uaa.none") {
      add(std::string_view(scope).substr(0, dot));
    }
  }
  return out;
}

bool has_any_scope(const std::vector<std::string>& scopes,
                   std::initializer_list<std::string_view> wanted) {
  for (const auto& s : scopes) {
    for (auto w : wanted) {
      if (s == w) return true;
    }
  }
  return false;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace cupola::cc::uaa
