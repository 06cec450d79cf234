#include "gorouter/rules/go_quote.h"

#include <cstddef>

namespace cupola::router::rules {
namespace {

constexpr char kHex[] = "0123456789abcdef";

struct Range {
  char32_t lo;
  char32_t hi;
};

// Non-ASCII code points Go does not print: C1 controls, space separators other than U+0020,
// line and paragraph separators, format characters and private use.
constexpr Range kNotPrintable[] = {
    {0x0080, 0x00A0},   {0x00AD, 0x00AD},    {0x0600, 0x0605},   {0x061C, 0x061C},
    {0x06DD, 0x06DD},   {0x070F, 0x070F},    {0x0890, 0x0891},   {0x08E2, 0x08E2},
    {0x1680, 0x1680},   {0x180E, 0x180E},    {0x2000, 0x200F},   {0x2028, 0x202F},
    {0x205F, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},   {0xFDD0, 0xFDEF},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},    {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
    {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},  {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
    {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
};

// Decodes one UTF-8 sequence at s[0]; returns its length, or 0 when the bytes are not valid
// UTF-8 (overlong forms, surrogates and values above U+10FFFF included), as Go's decoder
// rejects them.
std::size_t decode_utf8(std::string_view s, char32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(s[0]);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void append_hex(std::string& out, char32_t v, int digits) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4)
    out.push_back(kHex[(v >> shift) & 0xF]);
}

}  // namespace

bool is_printable(char32_t cp) noexcept {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
  if ((cp & 0xFFFE) == 0xFFFE) return false;  // U+xFFFE and U+xFFFF are noncharacters
  for (const Range& r : kNotPrintable) {
    if (cp >= r.lo && cp <= r.hi) return false;
  }
  return true;
}

void append_go_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
      s.remove_prefix(1);
      switch (c) {
        case '"':
          out += "\\\"";
          continue;
        case '\\':
          out += "\\\\";
          continue;
        case '\a':
          out += "\\a";
          continue;
        case '\b':
          out += "\\b";
          continue;
        case '\f':
          out += "\\f";
          continue;
        case '\n':
          out += "\\n";
          continue;
        case '\r':
          out += "\\r";
          continue;
        case '\t':
          out += "\\t";
          continue;
        case '\v':
          out += "\\v";
          continue;
        default:
          break;
      }
      if (c < 0x20 || c == 0x7F) {
        out += "\\x";
        append_hex(out, c, 2);
      } else {
        out.push_back(static_cast<char>(c));
      }
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = decode_utf8(s, cp);
    if (len == 0) {
      out += "\\x";
      append_hex(out, c, 2);
      s.remove_prefix(1);
      continue;
    }
    if (is_printable(cp)) {
      out.append(s.substr(0, len));
    } else if (cp < 0x10000) {
      out += "\\u";
      append_hex(out, cp, 4);
    } else {
      out += "\\U";
      append_hex(out, cp, 8);
    }
    s.remove_prefix(len);
  }
  out.push_back('"');
}

std::string go_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_go_quoted(out, s);
  return out;
}

}  // namespace cupola::router::rules
