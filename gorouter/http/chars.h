#pragma once

// Byte classes of RFC 9110/9112 as one lookup table, shared by the parsers. Internal to
// gorouter/http.

#include <array>
#include <cstdint>
#include <string_view>

namespace cupola::router::http::detail {

inline constexpr std::uint8_t kTokenByte = 1;   // tchar
inline constexpr std::uint8_t kFieldByte = 2;   // field-vchar, SP, HTAB: a field value byte
inline constexpr std::uint8_t kTargetByte = 4;  // VCHAR: a request-target byte
inline constexpr std::uint8_t kHostByte = 8;    // a byte of uri-host [":" port]

constexpr std::array<std::uint8_t, 256> make_byte_classes() {
  std::array<std::uint8_t, 256> table{};
  constexpr std::string_view kTokenPunct = "!#$%&'*+-.^_`|~";
  constexpr std::string_view kHostPunct = "-._~!$&'()*+,;=%:[]";
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    std::uint8_t classes = 0;
    if (alnum || kTokenPunct.find(ch) != std::string_view::npos) classes |= kTokenByte;
    // obs-text (0x80-0xFF) is allowed in values; every control but HTAB is not.
    if (c == '\t' || (c >= 0x20 && c != 0x7f)) classes |= kFieldByte;
    if (c > 0x20 && c < 0x7f) classes |= kTargetByte;
    if (alnum || kHostPunct.find(ch) != std::string_view::npos) classes |= kHostByte;
    table[static_cast<std::size_t>(c)] = classes;
  }
  return table;
}

inline constexpr std::array<std::uint8_t, 256> kByteClasses = make_byte_classes();

inline bool has_class(char c, std::uint8_t cls) noexcept {
  return (kByteClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool is_token_byte(char c) noexcept { return has_class(c, kTokenByte); }
inline bool is_field_byte(char c) noexcept { return has_class(c, kFieldByte); }
inline bool is_target_byte(char c) noexcept { return has_class(c, kTargetByte); }
inline bool is_host_byte(char c) noexcept { return has_class(c, kHostByte); }
inline bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

inline bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_byte(c)) return false;
  }
  return true;
}

// The value of a hex digit, or -1.
inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace cupola::router::http::detail
