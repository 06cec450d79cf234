#pragma once

// Internal to the Postgres stores: reads columns by position and keeps the first error,
// so a decoder reads every field and checks once.

#include <cstdint>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "common/pg/rows.h"

namespace cupola::bbs::pg_rows {

class RowReader {
 public:
  explicit RowReader(const pg::Row& row) : row_(row) {}

  std::string text(int column) { return take(row_.text(column), std::string()); }
  std::int64_t int64(int column) { return take(row_.int64(column), std::int64_t{0}); }
  bool boolean(int column) { return take(row_.boolean(column), false); }

  void fail(Error error) {
    if (!error_) error_ = std::move(error);
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  template <class T>
  T take(Result<T> r, T fallback) {
    if (r) return std::move(r).value();
    fail(std::move(r).error());
    return fallback;
  }

  const pg::Row& row_;
  std::optional<Error> error_;
};

}  // namespace cupola::bbs::pg_rows
