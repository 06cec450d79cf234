#include "gorouter/rules/header_list.h"

#include <algorithm>

namespace cupola::router::rules {
namespace {

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

const Header* find_header(const HeaderList& headers, std::string_view name) noexcept {
  for (const Header& h : headers) {
    if (iequals(h.name, name)) return &h;
  }
  return nullptr;
}

bool has_header(const HeaderList& headers, std::string_view name) noexcept {
  return find_header(headers, name) != nullptr;
}

std::string_view header_value(const HeaderList& headers, std::string_view name) noexcept {
  const Header* h = find_header(headers, name);
  return h ? std::string_view(h->value) : std::string_view();
}

std::vector<std::string_view> header_values(const HeaderList& headers, std::string_view name) {
  std::vector<std::string_view> out;
  for (const Header& h : headers) {
    if (iequals(h.name, name)) out.emplace_back(h.value);
  }
  return out;
}

void set_header(HeaderList& headers, std::string_view name, std::string value) {
  auto first = std::find_if(headers.begin(), headers.end(),
                            [&](const Header& h) { return iequals(h.name, name); });
  if (first == headers.end()) {
    headers.push_back({std::string(name), std::move(value)});
    return;
  }
  first->name = std::string(name);
  first->value = std::move(value);
  headers.erase(std::remove_if(first + 1, headers.end(),
                               [&](const Header& h) { return iequals(h.name, name); }),
                headers.end());
}

void add_header(HeaderList& headers, std::string_view name, std::string value) {
  headers.push_back({std::string(name), std::move(value)});
}

std::size_t remove_header(HeaderList& headers, std::string_view name) {
  const auto before = headers.size();
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const Header& h) { return iequals(h.name, name); }),
                headers.end());
  return before - headers.size();
}

std::string_view trim(std::string_view value) noexcept {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

bool has_token(const HeaderList& headers, std::string_view name, std::string_view token) {
  bool found = false;
  for (const Header& h : headers) {
    if (found) break;
    if (!iequals(h.name, name)) continue;
    for_each_list_element(h.value, [&](std::string_view element) {
      if (iequals(element, token)) found = true;
    });
  }
  return found;
}

}  // namespace cupola::router::rules
