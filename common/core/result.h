#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "common/core/error.h"

namespace cupola {

// Result<T> holds either a value or an Error. It is the one way expected failures travel
// (STYLE rule 17). Accessing the value of a failed result, or the error of a successful
// one, is a programming error and asserts.
template <class T>
class [[nodiscard]] Result {
 public:
  // An empty result is an Internal error; it exists for frameworks that need a default
  // (Asio's co_spawn completion), never as a value to return.
  Result() : v_(std::in_place_index<1>, Error{make_error_code(Errc::Internal), "no result"}) {}
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& {
    assert(!ok());
    return *error_;
  }
  Error&& error() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace cupola
