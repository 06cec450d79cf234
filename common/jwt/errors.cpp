#include "common/jwt/errors.h"

namespace cupola::jwt {
namespace {

class JwtCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "jwt"; }
  std::string message(int ev) const override {
    switch (static_cast<JwtErrc>(ev)) {
      case JwtErrc::Malformed:
        return "malformed token";
      case JwtErrc::WrongAlgorithm:
        return "wrong algorithm";
      case JwtErrc::UnknownKey:
        return "unknown key";
      case JwtErrc::BadSignature:
        return "bad signature";
      case JwtErrc::Expired:
        return "token expired";
      case JwtErrc::NotYetValid:
        return "token not yet valid";
      case JwtErrc::InvalidKey:
        return "invalid key";
    }
    return "unknown jwt error";
  }
};

}  // namespace

const std::error_category& jwt_category() noexcept {
  static const JwtCategory category;
  return category;
}

}  // namespace cupola::jwt
