#include "common/jwt/base64url.h"

#include "common/core/base64.h"

namespace cupola::jwt {
namespace {

// The 6-bit value of a base64url character, or -1.
int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string standard(text);
  for (char& c : standard) {
    int v = sextet(c);
    if (v < 0) return std::nullopt;
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
  }
  if (!text.empty()) {
    // The last character of a 2- or 3-character group carries 4 or 2 unused bits.
    int last = sextet(text.back());
    if (text.size() % 4 == 2 && (last & 0x0f) != 0) return std::nullopt;
    if (text.size() % 4 == 3 && (last & 0x03) != 0) return std::nullopt;
  }
  return base64_decode(standard);
}

}  // namespace cupola::jwt
