#pragma once

// The header lines the router's rules read and write: name/value pairs in order, owning their
// bytes, with names compared case-insensitively as HTTP compares them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::router::rules {

struct Header {
  std::string name;
  std::string value;

  bool operator==(const Header&) const = default;
};

using HeaderList = std::vector<Header>;

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// ASCII lower case.
std::string to_lower(std::string_view s);

// The first line named `name`, or nullptr.
const Header* find_header(const HeaderList& headers, std::string_view name) noexcept;

// Whether a line named `name` is present, even with an empty value.
bool has_header(const HeaderList& headers, std::string_view name) noexcept;

// The value of the first line named `name`; "" when there is none (Go's Header.Get).
std::string_view header_value(const HeaderList& headers, std::string_view name) noexcept;

// The values of every line named `name`, in order.
std::vector<std::string_view> header_values(const HeaderList& headers, std::string_view name);

// Replaces every line named `name` with one line `name: value`, kept where the first one was;
// appends it when there was none (Go's Header.Set).
void set_header(HeaderList& headers, std::string_view name, std::string value);

void add_header(HeaderList& headers, std::string_view name, std::string value);

// Removes every line named `name`; returns how many there were.
std::size_t remove_header(HeaderList& headers, std::string_view name);

// `value` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view value) noexcept;

// Calls `f(element)` for each trimmed, non-empty element of a comma-separated list.
template <class F>
void for_each_list_element(std::string_view list, F&& f) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim(list.substr(0, comma));
    if (!element.empty()) f(element);
    if (comma == std::string_view::npos) return;
    list.remove_prefix(comma + 1);
  }
}

// Whether any line named `name` lists `token` as a comma-separated element, compared
// case-insensitively (has_token(h, "Connection", "upgrade")).
bool has_token(const HeaderList& headers, std::string_view name, std::string_view token);

}  // namespace cupola::router::rules
