// Header lines with case-insensitive names.
#include <catch2/catch.hpp>

#include "gorouter/rules/header_list.h"

namespace cupola::router::rules {
namespace {

TEST_CASE("header lookups ignore the case of names", "[router][rules]") {
  const HeaderList h = {{"content-type", "text/plain"},
                        {"X-Forwarded-For", "a"},
                        {"x-forwarded-for", "b"},
                        {"Empty", ""}};
  CHECK(header_value(h, "Content-Type") == "text/plain");
  CHECK(header_values(h, "X-FORWARDED-FOR") == std::vector<std::string_view>{"a", "b"});
  CHECK(has_header(h, "empty"));
  CHECK(header_value(h, "empty").empty());
  CHECK_FALSE(has_header(h, "Missing"));
  CHECK(header_value(h, "Missing").empty());
}

TEST_CASE("set_header replaces every line of the name in place of the first", "[router][rules]") {
  HeaderList h = {{"A", "1"}, {"x-b", "2"}, {"C", "3"}, {"X-B", "4"}};
  SECTION("when the name is present") {
    set_header(h, "X-B", "5");
    CHECK(h == HeaderList{{"A", "1"}, {"X-B", "5"}, {"C", "3"}});
  }
  SECTION("when the name is absent") {
    set_header(h, "D", "6");
    CHECK(h.back() == Header{"D", "6"});
    CHECK(h.size() == 5);
  }
}

TEST_CASE("remove_header drops every line of the name", "[router][rules]") {
  HeaderList h = {{"A", "1"}, {"x-b", "2"}, {"X-B", "4"}};
  CHECK(remove_header(h, "X-b") == 2);
  CHECK(h == HeaderList{{"A", "1"}});
}

TEST_CASE("has_token finds comma-separated tokens in any line", "[router][rules]") {
  const HeaderList h = {{"Connection", "keep-alive"}, {"connection", " X-Foo ,Upgrade"}};
  CHECK(has_token(h, "Connection", "upgrade"));
  CHECK(has_token(h, "Connection", "x-foo"));
  CHECK_FALSE(has_token(h, "Connection", "close"));
  CHECK_FALSE(has_token(h, "Connection", "upgr"));
}

}  // namespace
}  // namespace cupola::router::rules
