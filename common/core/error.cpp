#include "common/core/error.h"

namespace cupola {
namespace {

class CupolaCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "cupola"; }
  std::string message(int ev) const override {
    switch (static_cast<Errc>(ev)) {
      case Errc::Ok:
        return "ok";
      case Errc::InvalidArgument:
        return "invalid argument";
      case Errc::NotFound:
        return "not found";
      case Errc::Conflict:
        return "conflict";
      case Errc::Timeout:
        return "timed out";
      case Errc::Unavailable:
        return "unavailable";
      case Errc::Cancelled:
        return "cancelled";
      case Errc::LimitExceeded:
        return "limit exceeded";
      case Errc::Internal:
        return "internal error";
    }
    return "unknown error";
  }
};

}  // namespace

const std::error_category& cupola_category() noexcept {
  static const CupolaCategory category;
  return category;
}

std::string Error::describe() const {
  std::string out = message;
  out += " (";
  out += code.category().name();
  out += ": ";
  out += code.message();
  out += ")";
  return out;
}

}  // namespace cupola
