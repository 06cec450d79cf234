#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace cupola::router::http {

// One field line as received. Both views point into the caller's buffer; the value has no
// leading or trailing whitespace.
struct Header {
  std::string_view name;
  std::string_view value;
};

// ASCII case-insensitive equality, as field names and most protocol tokens compare.
bool iequals(std::string_view a, std::string_view b) noexcept;

// Calls `f(element)` for each element of a comma-separated list value (RFC 9110 §5.6.1),
// without surrounding whitespace; empty elements are skipped. Quoted strings are not
// special: use it for lists of tokens.
template <class F>
void for_each_element(std::string_view list, F&& f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view element = list.substr(0, comma);
    while (!element.empty() && (element.front() == ' ' || element.front() == '\t')) {
      element.remove_prefix(1);
    }
    while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) {
      element.remove_suffix(1);
    }
    if (!element.empty()) f(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// The field lines of a message head, in order, with case-insensitive lookups. It owns only
// the array of views: the bytes stay in the caller's buffer. Its storage is reserved once
// and reused from message to message, so parsing allocates nothing per field.
class Headers {
 public:
  using const_iterator = std::vector<Header>::const_iterator;

  std::size_t size() const noexcept { return fields_.size(); }
  bool empty() const noexcept { return fields_.empty(); }
  const_iterator begin() const noexcept { return fields_.begin(); }
  const_iterator end() const noexcept { return fields_.end(); }
  const Header& operator[](std::size_t i) const noexcept { return fields_[i]; }

  // The first field line named `name`, or nullptr.
  const Header* find(std::string_view name) const noexcept;
  // The value of the first field line named `name`.
  std::optional<std::string_view> value(std::string_view name) const noexcept;
  // How many field lines are named `name`.
  std::size_t count(std::string_view name) const noexcept;
  bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }
  // Whether any field line named `name` lists `token`, compared case-insensitively
  // (has_token("connection", "close")).
  bool has_token(std::string_view name, std::string_view token) const noexcept;

  void add(std::string_view name, std::string_view value) { fields_.push_back({name, value}); }
  void clear() noexcept { fields_.clear(); }
  void reserve(std::size_t n) { fields_.reserve(n); }

 private:
  std::vector<Header> fields_;
};

}  // namespace cupola::router::http
