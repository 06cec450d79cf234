#include "common/pg/rows.h"

#include <libpq-fe.h>

#include <catch2/catch.hpp>
#include <vector>

#include "common/pg/params.h"

using namespace cupola;
using namespace cupola::pg;

namespace {

// A result as libpq would build it from the server's text-format rows; nullopt is NULL.
Rows make_rows(std::vector<const char*> names,
               std::vector<std::vector<std::optional<std::string>>> data) {
  PGresult* res = PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK);
  std::vector<PGresAttDesc> attrs(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    attrs[i] = PGresAttDesc{const_cast<char*>(names[i]), 0, 0, 0, 25, -1, -1};
  }
  REQUIRE(PQsetResultAttrs(res, static_cast<int>(attrs.size()), attrs.data()));
  for (std::size_t r = 0; r < data.size(); ++r) {
    for (std::size_t c = 0; c < data[r].size(); ++c) {
      const auto& v = data[r][c];
      REQUIRE(PQsetvalue(res, static_cast<int>(r), static_cast<int>(c),
                         v ? const_cast<char*>(v->c_str()) : nullptr,
                         v ? static_cast<int>(v->size()) : -1));
    }
  }
  return Rows(res);
}

}  // namespace

TEST_CASE("Rows and Row") {
  Rows rows = make_rows({"id", "name", "active", "note"}, {{"1", "alpha", "t", std::nullopt},
                                                           {"-9223372036854775808", "", "f", "x"},
                                                           {"12abc", "γ 日本", "maybe", "y"}});

  SECTION("size, columns and iteration") {
    CHECK(rows.size() == 3);
    CHECK_FALSE(rows.empty());
    CHECK(rows.column_count() == 4);
    CHECK(rows.column_name(1) == "name");
    int n = 0;
    for (auto row : rows) {
      CHECK(row.text("name"));
      ++n;
    }
    CHECK(n == 3);
  }

  SECTION("typed values by name and by index") {
    auto row = rows[0];
    CHECK(*row.int64("id") == 1);
    CHECK(*row.int64(0) == 1);
    CHECK(*row.text("name") == "alpha");
    CHECK(*row.boolean("active") == true);
    CHECK(*rows[1].boolean(2) == false);
    CHECK(*rows[1].int64("id") == INT64_MIN);
    CHECK(*rows[1].text("name") == "");
    CHECK(*rows[2].text("name") == "γ 日本");
  }

  SECTION("NULLs") {
    CHECK(*rows[0].is_null("note"));
    CHECK_FALSE(*rows[1].is_null("note"));
    CHECK(*rows[0].optional_text("note") == std::nullopt);
    CHECK(*rows[1].optional_text("note") == std::optional<std::string>("x"));
    CHECK(*rows[0].optional_int64("id") == std::optional<std::int64_t>(1));
    auto required = rows[0].text("note");
    REQUIRE_FALSE(required);
    CHECK(required.error().message == "column note is NULL");
  }

  SECTION("when the column does not exist, an error") {
    auto by_name = rows[0].text("missing");
    REQUIRE_FALSE(by_name);
    CHECK(by_name.error().code == Errc::InvalidArgument);
    CHECK(by_name.error().message.find("missing") != std::string::npos);
    CHECK_FALSE(rows[0].text(4));
    CHECK_FALSE(rows[0].text(-1));
    // Names are matched exactly, not case-folded.
    CHECK_FALSE(rows[0].text("NAME"));
  }

  SECTION("when the text does not parse as the type, an error naming the column") {
    auto bad_int = rows[2].int64("id");
    REQUIRE_FALSE(bad_int);
    CHECK(bad_int.error().message == "column id: '12abc' is not a 64-bit integer");
    auto bad_bool = rows[2].optional_boolean("active");
    REQUIRE_FALSE(bad_bool);
    CHECK(bad_bool.error().message.find("not a boolean") != std::string::npos);
  }
}

TEST_CASE("Param") {
  SECTION("text forms") {
    CHECK(*Param(42).text() == "42");
    CHECK(*Param(std::int64_t{-7}).text() == "-7");
    CHECK(*Param(true).text() == "true");
    CHECK(*Param(false).text() == "false");
    CHECK(*Param("it's; fine").text() == "it's; fine");
    CHECK(*Param(std::string_view("sv")).text() == "sv");
  }

  SECTION("NULLs") {
    CHECK(Param(std::nullopt).is_null());
    CHECK(Param(nullptr).is_null());
    CHECK(Param(std::optional<std::int64_t>()).is_null());
    CHECK(Param(std::nullopt).c_str() == nullptr);
    CHECK(*Param(std::optional<std::int64_t>(5)).text() == "5");
    CHECK(*Param(std::optional<std::string>("s")).text() == "s");
  }
}
