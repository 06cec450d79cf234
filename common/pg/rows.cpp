#include "common/pg/rows.h"

#include <libpq-fe.h>

#include <cassert>
#include <charconv>

namespace cupola::pg {
namespace {

Error invalid(std::string message) { return make_error(Errc::InvalidArgument, std::move(message)); }

Result<std::int64_t> parse_int64(std::string_view s, std::string_view column) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return invalid("column " + std::string(column) + ": '" + std::string(s) +
                   "' is not a 64-bit integer");
  }
  return v;
}

Result<bool> parse_bool(std::string_view s, std::string_view column) {
  if (s == "t" || s == "true") return true;
  if (s == "f" || s == "false") return false;
  return invalid("column " + std::string(column) + ": '" + std::string(s) + "' is not a boolean");
}

}  // namespace

Result<int> Row::index_of(const Column& column) const {
  int columns = PQnfields(res_);
  if (const int* i = std::get_if<int>(&column.ref)) {
    if (*i < 0 || *i >= columns) {
      return invalid("no column " + std::to_string(*i) + " (the result has " +
                     std::to_string(columns) + ")");
    }
    return *i;
  }
  std::string name(std::get<std::string_view>(column.ref));
  // Compared directly: PQfnumber would case-fold and unquote the name.
  for (int i = 0; i < columns; ++i) {
    if (name == PQfname(res_, i)) return i;
  }
  return invalid("no column named '" + name + "' in the result");
}

Result<bool> Row::is_null(Column column) const {
  auto i = index_of(column);
  if (!i) return std::move(i).error();
  return PQgetisnull(res_, row_, *i) == 1;
}

Result<std::optional<std::string>> Row::optional_text(Column column) const {
  auto i = index_of(column);
  if (!i) return std::move(i).error();
  if (PQgetisnull(res_, row_, *i)) return std::optional<std::string>();
  return std::optional<std::string>(std::string(
      PQgetvalue(res_, row_, *i), static_cast<std::size_t>(PQgetlength(res_, row_, *i))));
}

Result<std::string> Row::text(Column column) const {
  auto v = optional_text(column);
  if (!v) return std::move(v).error();
  if (!v->has_value()) {
    auto i = index_of(column);
    return invalid(std::string("column ") + PQfname(res_, *i) + " is NULL");
  }
  return std::move(**v);
}

Result<std::optional<std::int64_t>> Row::optional_int64(Column column) const {
  auto v = optional_text(column);
  if (!v) return std::move(v).error();
  if (!v->has_value()) return std::optional<std::int64_t>();
  auto parsed = parse_int64(**v, PQfname(res_, *index_of(column)));
  if (!parsed) return std::move(parsed).error();
  return std::optional<std::int64_t>(*parsed);
}

Result<std::int64_t> Row::int64(Column column) const {
  auto t = text(column);
  if (!t) return std::move(t).error();
  return parse_int64(*t, PQfname(res_, *index_of(column)));
}

Result<std::optional<bool>> Row::optional_boolean(Column column) const {
  auto v = optional_text(column);
  if (!v) return std::move(v).error();
  if (!v->has_value()) return std::optional<bool>();
  auto parsed = parse_bool(**v, PQfname(res_, *index_of(column)));
  if (!parsed) return std::move(parsed).error();
  return std::optional<bool>(*parsed);
}

Result<bool> Row::boolean(Column column) const {
  auto t = text(column);
  if (!t) return std::move(t).error();
  return parse_bool(*t, PQfname(res_, *index_of(column)));
}

Rows::Rows(pg_result* res) : res_(res, [](pg_result* r) { PQclear(r); }) { assert(res); }

std::size_t Rows::size() const { return static_cast<std::size_t>(PQntuples(res_.get())); }

Row Rows::operator[](std::size_t i) const {
  assert(i < size());
  return Row(res_.get(), static_cast<int>(i));
}

int Rows::column_count() const { return PQnfields(res_.get()); }

std::string Rows::column_name(int i) const {
  const char* name = PQfname(res_.get(), i);
  return name ? name : "";
}

std::int64_t Rows::affected() const {
  std::string_view s = PQcmdTuples(res_.get());
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::string Rows::command() const {
  std::string_view s = PQcmdStatus(res_.get());
  return std::string(s.substr(0, s.find(' ')));
}

}  // namespace cupola::pg
