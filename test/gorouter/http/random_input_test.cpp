// 200,000 seeded random and mutated inputs through the request and response parsers and the
// body readers (test/gorouter/http/differential.h): each must end in a result, the same fed
// whole or in pieces, quickly. Deterministic: a failure names the input's index and bytes.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "test/gorouter/http/differential.h"

namespace cupola::router::http {
namespace {

using namespace std::string_literals;
using namespace cupola::router::http::testing;

constexpr std::uint64_t kSeed = 0x5eed'c0de'2024ULL;
constexpr int kInputs = 200'000;
// Generous, so a loaded machine does not fail the test: an input is at most a few KiB and
// takes microseconds; only super-linear work or a hang comes near these.
constexpr auto kMaxPerInput = std::chrono::milliseconds(250);
constexpr auto kMaxTotal = std::chrono::seconds(60);

const std::vector<std::string>& request_seeds() {
  static const std::vector<std::string> seeds = {
      "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
      "POST /upload?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nContent-Length: 5\r\n\r\nhello",
      // Adjacent literals below are one message each.
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;ext=1\r\nhello\r\na\r\n0123456789\r\n0\r\nChecksum: x\r\n\r\n",
      "GET http://example.com/p HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, "
      "Upgrade\r\nUpgrade: websocket\r\n\r\n",
      "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
      "OPTIONS * HTTP/1.0\r\nExpect: 100-continue\r\n\r\n",
      "\r\nPUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\nX-A:\t v \r\n\r\nabcGET / "
      "HTTP/1.1\r\nHost: h\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\n",
      "PUT /big HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "1\r\na\r\n10;a=\"b c\"\r\n0123456789abcdef\r\n00\r\nX: 1\r\nY:2\r\n\r\n",
      "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
      "POST /q HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  };
  return seeds;
}

const std::vector<std::string>& response_seeds() {
  static const std::vector<std::string> seeds = {
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: v\r\n\r\n",
      "HTTP/1.1 500 Oops\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2;x\r\nzz\r\n0\r\n\r\n",
      "HTTP/1.0 404 Not Found\r\n\r\nbody until close",
      "HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n",
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
  };
  return seeds;
}

const std::vector<std::string>& fragments() {
  static const std::vector<std::string> pieces = {"\r\n",
                                                  "\r",
                                                  "\n",
                                                  "\0"s,
                                                  " ",
                                                  "\t",
                                                  ":",
                                                  ",",
                                                  ";",
                                                  "chunked",
                                                  "Content-Length: ",
                                                  "Transfer-Encoding: ",
                                                  "Host: ",
                                                  "0",
                                                  "ffffffffffffffffff",
                                                  "HTTP/1.1",
                                                  "\r\n\r\n",
                                                  " : ",
                                                  "\r\n ",
                                                  "\x7f",
                                                  "\xff",
                                                  "-1",
                                                  "GET ",
                                                  "*"};
  return pieces;
}

class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }

  // Bytes drawn mostly from the characters HTTP parsers care about.
  std::string random_bytes() {
    static constexpr std::string_view kAlphabet = "GETPOSHacdhknu/ :;,=-\r\n\t0123456789aAfF";
    std::string s(below(300), '\0');
    const bool any_byte = below(4) == 0;
    for (char& c : s) {
      c = any_byte ? static_cast<char>(rng_()) : kAlphabet[below(kAlphabet.size())];
    }
    return s;
  }

  std::string mutate(std::string s, const std::vector<std::string>& seeds) {
    const std::size_t rounds = 1 + below(4);
    for (std::size_t i = 0; i < rounds; ++i) {
      // Half the time only the body changes, so that body framing gets as much attention.
      const std::size_t head_end = s.find("\r\n\r\n");
      const std::size_t floor =
          head_end != std::string::npos && below(2) == 0 ? head_end + 4 : std::size_t{0};
      const std::size_t at = floor + below(s.size() + 1 - floor);
      switch (below(8)) {
        case 0:  // flip a byte
          if (!s.empty()) s[below(s.size())] = static_cast<char>(rng_());
          break;
        case 1:    // overwrite with a fragment
        case 2: {  // insert a fragment
          const std::string& f = fragments()[below(fragments().size())];
          if (below(2) == 0) {
            s.insert(at, f);
          } else {
            s.replace(at, f.size(), f);
          }
          break;
        }
        case 3:  // delete a range
          s.erase(at, below(16));
          break;
        case 4: {  // duplicate a range (a line, often)
          const std::string copy = s.substr(at, below(40));
          s.insert(below(s.size() + 1), copy);
          break;
        }
        case 5:  // truncate
          s.resize(below(s.size() + 1));
          break;
        case 6: {  // splice with another seed
          const std::string& other = seeds[below(seeds.size())];
          s = s.substr(0, at) + other.substr(below(other.size() + 1));
          break;
        }
        default: {  // a long run, to reach the limits
          const std::size_t length = below(400);
          s.insert(at, std::string(length, "a \r\n0"[below(5)]));
          break;
        }
      }
    }
    return s;
  }

 private:
  std::mt19937_64 rng_;
};

std::string escaped(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

TEST_CASE("Random and mutated inputs always end in the same result", "[router][http][random]") {
  Mutator mutator(kSeed);
  const auto run_start = std::chrono::steady_clock::now();
  const Limits defaults;
  const Limits small{.max_start_line = 48, .max_head_bytes = 160, .max_headers = 4};
  const std::vector<std::string_view> methods = {"GET", "HEAD", "CONNECT", "POST"};
  DiffStats stats;
  std::chrono::nanoseconds slowest{0};
  int slowest_index = -1;

  for (int i = 0; i < kInputs; ++i) {
    const bool response = i % 3 == 2;
    const auto& seeds = response ? response_seeds() : request_seeds();
    const std::string input = i % 4 == 0
                                  ? mutator.random_bytes()
                                  : mutator.mutate(seeds[mutator.below(seeds.size())], seeds);
    const Limits& limits = i % 2 == 0 ? defaults : small;
    const auto seed = static_cast<std::uint64_t>(i) * 0x9e37ULL + kSeed;

    const auto start = std::chrono::steady_clock::now();
    const std::string problem =
        response
            ? check_response(input, methods[mutator.below(methods.size())], limits, seed, stats)
            : check_request(input, limits, seed, stats);
    const auto took = std::chrono::steady_clock::now() - start;
    if (took > slowest) {
      slowest = took;
      slowest_index = i;
    }
    if (!problem.empty()) {
      INFO("input " << i << " (" << (response ? "response" : "request") << "): " << escaped(input));
      FAIL(problem);
    }
  }

  CAPTURE(slowest.count(), slowest_index);
  CHECK(slowest < kMaxPerInput);
  CHECK(std::chrono::steady_clock::now() - run_start < kMaxTotal);
  // The inputs reach every stage, not just the first line.
  CAPTURE(stats.heads_complete, stats.heads_rejected, stats.bodies_done, stats.chunked_done,
          stats.bodies_rejected);
  CHECK(stats.heads_complete > kInputs / 20);
  CHECK(stats.heads_rejected > kInputs / 20);
  CHECK(stats.chunked_done > 1000);
  CHECK(stats.bodies_rejected > 100);
}

}  // namespace
}  // namespace cupola::router::http
