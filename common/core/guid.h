#pragma once

#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace cupola {

// Makes RFC 4122 version 4 GUIDs ("6ba7b810-9dad-41d1-80b4-00c04fd430c8").
// Passed through constructors; thread-safe.
class GuidGenerator {
 public:
  virtual ~GuidGenerator() = default;
  virtual std::string next() = 0;
};

// Random v4 GUIDs from a generator seeded by the operating system's entropy.
class RandomGuidGenerator final : public GuidGenerator {
 public:
  RandomGuidGenerator();
  // Deterministic sequence, for tests and simulations.
  explicit RandomGuidGenerator(std::uint64_t seed);
  std::string next() override;

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

// Lower-case 8-4-4-4-12 hex with version 4 and the RFC 4122 variant.
std::string format_guid_v4(std::uint64_t hi, std::uint64_t lo);

// True for any well-formed GUID (any version), case-insensitive.
bool is_guid(std::string_view s);

}  // namespace cupola
