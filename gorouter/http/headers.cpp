#include "gorouter/http/headers.h"

namespace cupola::router::http {
namespace {

inline char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

const Header* Headers::find(std::string_view name) const noexcept {
  for (const Header& h : fields_) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

std::optional<std::string_view> Headers::value(std::string_view name) const noexcept {
  if (const Header* h = find(name)) return h->value;
  return std::nullopt;
}

std::size_t Headers::count(std::string_view name) const noexcept {
  std::size_t n = 0;
  for (const Header& h : fields_) {
    if (iequals(h.name, name)) ++n;
  }
  return n;
}

bool Headers::has_token(std::string_view name, std::string_view token) const noexcept {
  bool found = false;
  for (const Header& h : fields_) {
    if (found) break;
    if (!iequals(h.name, name)) continue;
    for_each_element(h.value, [&](std::string_view element) {
      if (iequals(element, token)) found = true;
    });
  }
  return found;
}

}  // namespace cupola::router::http
