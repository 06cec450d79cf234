// libFuzzer entry point: each input goes through the request parser, the response parser
// and the body readers, fed whole and in pieces (test/gorouter/http/differential.h); any
// disagreement aborts. The first byte picks the limits and the method the response answers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "test/gorouter/http/differential.h"

using namespace cupola::router::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const Limits limits = (control & 1) != 0
                            ? Limits{}
                            : Limits{.max_start_line = 48, .max_head_bytes = 160, .max_headers = 4};
  constexpr std::string_view kMethods[] = {"GET", "HEAD", "CONNECT", "POST"};
  const std::string_view method = kMethods[(control >> 1) & 3];
  const std::uint64_t seed = control * 0x9e3779b97f4a7c15ULL + size;

  testing::DiffStats stats;
  std::string problem = testing::check_request(bytes, limits, seed, stats);
  if (problem.empty()) problem = testing::check_response(bytes, method, limits, seed, stats);
  if (!problem.empty()) {
    std::fprintf(stderr, "fuzz_http_parser: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
