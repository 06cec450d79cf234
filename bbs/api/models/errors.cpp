#include "bbs/api/models/errors.h"

#include <array>
#include <utility>

namespace cupola::bbs {
namespace {

constexpr std::array<std::pair<ErrorType, std::string_view>, 21> kNames{{
    {ErrorType::UnknownError, "UnknownError"},
    {ErrorType::InvalidRecord, "InvalidRecord"},
    {ErrorType::InvalidRequest, "InvalidRequest"},
    {ErrorType::InvalidResponse, "InvalidResponse"},
    {ErrorType::InvalidJSON, "InvalidJSON"},
    {ErrorType::InvalidStateTransition, "InvalidStateTransition"},
    {ErrorType::ResourceConflict, "ResourceConflict"},
    {ErrorType::ResourceExists, "ResourceExists"},
    {ErrorType::ResourceNotFound, "ResourceNotFound"},
    {ErrorType::ActualLRPCannotBeClaimed, "ActualLRPCannotBeClaimed"},
    {ErrorType::ActualLRPCannotBeStarted, "ActualLRPCannotBeStarted"},
    {ErrorType::ActualLRPCannotBeCrashed, "ActualLRPCannotBeCrashed"},
    {ErrorType::ActualLRPCannotBeFailed, "ActualLRPCannotBeFailed"},
    {ErrorType::ActualLRPCannotBeRemoved, "ActualLRPCannotBeRemoved"},
    {ErrorType::ActualLRPCannotBeUnclaimed, "ActualLRPCannotBeUnclaimed"},
    {ErrorType::RunningOnDifferentCell, "RunningOnDifferentCell"},
    {ErrorType::Deserialize, "Deserialize"},
    {ErrorType::Unrecoverable, "Unrecoverable"},
    {ErrorType::LockCollision, "LockCollision"},
    {ErrorType::Timeout, "Timeout"},
    {ErrorType::ServiceUnavailable, "ServiceUnavailable"},
}};

class BbsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bbs"; }
  std::string message(int ev) const override {
    return std::string(error_type_name(static_cast<ErrorType>(ev)));
  }
};

}  // namespace

const std::error_category& bbs_category() noexcept {
  static const BbsCategory category;
  return category;
}

std::string_view error_type_name(ErrorType t) {
  for (const auto& [type, name] : kNames) {
    if (type == t) return name;
  }
  return "UnknownError";
}

ErrorType parse_error_type(std::string_view name) {
  for (const auto& [type, n] : kNames) {
    if (n == name) return type;
  }
  return ErrorType::UnknownError;
}

ErrorType error_type_of(const Error& e) {
  if (e.code.category() == bbs_category()) return static_cast<ErrorType>(e.code.value());
  if (e.code == Errc::NotFound) return ErrorType::ResourceNotFound;
  if (e.code == Errc::Conflict) return ErrorType::ResourceConflict;
  if (e.code == Errc::InvalidArgument || e.code == Errc::LimitExceeded) {
    return ErrorType::InvalidRequest;
  }
  if (e.code == Errc::Timeout) return ErrorType::Timeout;
  if (e.code == Errc::Unavailable) return ErrorType::ServiceUnavailable;
  return ErrorType::UnknownError;
}

}  // namespace cupola::bbs
