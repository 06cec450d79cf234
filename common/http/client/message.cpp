#include "common/http/client/message.h"

#include <algorithm>
#include <cctype>

namespace cupola::http {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::Get:
      return "GET";
    case Method::Head:
      return "HEAD";
    case Method::Post:
      return "POST";
    case Method::Put:
      return "PUT";
    case Method::Patch:
      return "PATCH";
    case Method::Delete:
      return "DELETE";
    case Method::Options:
      return "OPTIONS";
  }
  return "GET";
}

bool is_idempotent(Method m) {
  return m == Method::Get || m == Method::Head || m == Method::Put || m == Method::Delete ||
         m == Method::Options;
}

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  auto same = [](std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) ==
             std::tolower(static_cast<unsigned char>(y));
    });
  };
  for (const Header& h : headers) {
    if (same(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace cupola::http
