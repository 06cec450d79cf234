#include "common/core/guid.h"

#include <array>
#include <cctype>

namespace cupola {

RandomGuidGenerator::RandomGuidGenerator() {
  std::random_device rd;
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
  rng_.seed(seq);
}

RandomGuidGenerator::RandomGuidGenerator(std::uint64_t seed) : rng_(seed) {}

std::string RandomGuidGenerator::next() {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  {
    std::lock_guard lock(mu_);
    hi = rng_();
    lo = rng_();
  }
  return format_guid_v4(hi, lo);
}

std::string format_guid_v4(std::uint64_t hi, std::uint64_t lo) {
  hi = (hi & ~0xF000ULL) | 0x4000ULL;              // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10xx
  std::array<unsigned char, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<unsigned char>(lo >> (56 - 8 * i));
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

bool is_guid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace cupola
