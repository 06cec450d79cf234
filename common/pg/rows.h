#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/core/result.h"

struct pg_result;

namespace cupola::pg {

// A column of a row, by zero-based index or by name.
struct Column {
  Column(int index) : ref(index) {}                          // NOLINT: implicit
  Column(std::string_view name) : ref(name) {}               // NOLINT: implicit
  Column(const char* name) : ref(std::string_view(name)) {}  // NOLINT: implicit
  std::variant<int, std::string_view> ref;
};

// One row of a Rows; valid while its Rows lives. Accessors fail with
// Errc::InvalidArgument for an unknown column, a NULL where a value is required, or text
// that does not parse as the requested type (booleans are Postgres's "t"/"f").
class Row {
 public:
  Row(const pg_result* res, int row) : res_(res), row_(row) {}

  Result<bool> is_null(Column column) const;
  Result<std::string> text(Column column) const;
  Result<std::int64_t> int64(Column column) const;
  Result<bool> boolean(Column column) const;
  Result<std::optional<std::string>> optional_text(Column column) const;
  Result<std::optional<std::int64_t>> optional_int64(Column column) const;
  Result<std::optional<bool>> optional_boolean(Column column) const;

 private:
  Result<int> index_of(const Column& column) const;

  const pg_result* res_;
  int row_;
};

// The result of one statement: its rows (text format) and the affected row count.
// Cheap to move; owns the libpq result.
class Rows {
 public:
  // Takes ownership of `res` (freed with PQclear).
  explicit Rows(pg_result* res);

  std::size_t size() const;
  bool empty() const { return size() == 0; }
  Row operator[](std::size_t i) const;
  int column_count() const;
  std::string column_name(int i) const;
  // Rows inserted, updated, deleted or returned by the statement (PQcmdTuples); 0 for
  // statements that report none.
  std::int64_t affected() const;
  // The command tag's verb: "SELECT", "INSERT", "COMMIT", "ROLLBACK", ...
  std::string command() const;

  class Iterator {
   public:
    Iterator(const Rows* rows, std::size_t i) : rows_(rows), i_(i) {}
    Row operator*() const { return (*rows_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }

   private:
    const Rows* rows_;
    std::size_t i_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  std::shared_ptr<pg_result> res_;
};

}  // namespace cupola::pg
