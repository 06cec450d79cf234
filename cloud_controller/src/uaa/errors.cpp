#include "cloud_controller/src/uaa/errors.h"

namespace cupola::cc::uaa {
namespace {

struct Mapping {
  int status;
  const char* name;
};

Mapping mapping(UaaErrc code) {
  switch (code) {
    case UaaErrc::BadCredentials:
    case UaaErrc::AccountLocked:
    case UaaErrc::Unauthenticated:
      return {401, "unauthorized"};
    case UaaErrc::InvalidToken:
      return {401, "invalid_token"};
    case UaaErrc::InvalidClient:
      return {401, "invalid_client"};
    case UaaErrc::InvalidRequest:
      return {400, "invalid_request"};
    case UaaErrc::InvalidGrant:
      return {400, "invalid_grant"};
    case UaaErrc::UnsupportedGrantType:
      return {400, "unsupported_grant_type"};
    case UaaErrc::InsufficientScope:
      return {403, "insufficient_scope"};
    case UaaErrc::AccessDenied:
      return {403, "access_denied"};
    case UaaErrc::UsernameTaken:
      return {409, "scim_resource_already_exists"};
    case UaaErrc::UserNotFound:
      return {404, "scim_resource_not_found"};
    case UaaErrc::InvalidScimResource:
      return {400, "invalid_scim_resource"};
    case UaaErrc::InvalidPassword:
      return {400, "invalid_password"};
    case UaaErrc::InvalidFilter:
      return {400, "scim"};
  }
  return {500, "server_error"};
}

class UaaCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "uaa"; }
  std::string message(int ev) const override { return mapping(static_cast<UaaErrc>(ev)).name; }
};

}  // namespace

const std::error_category& uaa_category() noexcept {
  static const UaaCategory category;
  return category;
}

int uaa_status(const std::error_code& code) {
  if (code.category() != uaa_category()) return 500;
  return mapping(static_cast<UaaErrc>(code.value())).status;
}

std::string uaa_error_name(const std::error_code& code) {
  if (code.category() != uaa_category()) return "server_error";
  return mapping(static_cast<UaaErrc>(code.value())).name;
}

}  // namespace cupola::cc::uaa
