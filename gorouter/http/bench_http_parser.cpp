// Parse throughput of the router's HTTP/1.x parser: a typical ~300-byte browser-like request
// head parsed again and again (reset, feed the whole head), and a 1 MiB chunked body of small
// chunks (where the framing, not the data, is the work) fed in 64 KiB reads. Prints one BENCH line
// per case; it never fails on timing.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "gorouter/http/body_reader.h"
#include "gorouter/http/request_parser.h"

namespace {

using cupola::router::http::BodyFraming;
using cupola::router::http::BodyKind;
using cupola::router::http::BodyReader;
using cupola::router::http::BodyState;
using cupola::router::http::HeadState;
using cupola::router::http::RequestParser;
using cupola::router::http::Side;
using Clock = std::chrono::steady_clock;

constexpr int kRuns = 5;

const std::string kRequest =
    "GET /v3/apps/6f7c1d2e-4b1a-4c8e-9d3f-2a1b0c9d8e7f/processes?per_page=50 HTTP/1.1\r\n"
    "Host: api.apps.example.com\r\n"
    "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/126.0\r\n"
    "Accept: application/json\r\n"
    "Accept-Encoding: gzip, deflate, br\r\n"
    "X-Forwarded-For: 10.0.0.1\r\n"
    "Connection: keep-alive\r\n"
    "\r\n";

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void bench_request() {
  constexpr int kIterations = 1'000'000;
  RequestParser parser;
  std::uint64_t sink = 0;
  std::vector<double> ns;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = Clock::now();
    for (int i = 0; i < kIterations; ++i) {
      parser.reset();
      const auto r = parser.feed(kRequest);
      if (r.state != HeadState::Complete) {
        std::fprintf(stderr, "bench request did not parse: %.*s\n",
                     static_cast<int>(r.error.reason.size()), r.error.reason.data());
        return;
      }
      sink += r.consumed + parser.head().headers.size();
    }
    ns.push_back(seconds_since(start) * 1e9 / kIterations);
  }
  const double ns_per_request = median(ns);
  const double mb_per_s = static_cast<double>(kRequest.size()) / ns_per_request * 1e9 / 1e6;
  volatile std::uint64_t keep = sink;  // the parse results are used
  (void)keep;
  std::printf("request head: %zu bytes, %.0f requests/s\n", kRequest.size(), 1e9 / ns_per_request);
  std::printf("BENCH name=http_parser case=request bytes=%zu ns_per_request=%.1f mb_per_s=%.1f\n",
              kRequest.size(), ns_per_request, mb_per_s);
}

void bench_chunked() {
  constexpr std::size_t kChunk = 100;
  constexpr std::size_t kChunks = 10'000;
  constexpr int kIterations = 200;
  constexpr std::size_t kReadSize = std::size_t{64} * 1024;
  std::string body;
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", kChunk);
  for (std::size_t i = 0; i < kChunks; ++i) {
    body += size_line;
    body.append(kChunk, 'x');
    body += "\r\n";
  }
  body += "0\r\n\r\n";

  std::uint64_t sink = 0;
  std::vector<double> seconds;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = Clock::now();
    for (int i = 0; i < kIterations; ++i) {
      BodyReader reader(BodyFraming{BodyKind::Chunked, 0}, Side::Request);
      std::string_view in = body;
      // Feed as a socket would deliver it: 64 KiB reads.
      while (!in.empty()) {
        std::string_view read = in.substr(0, kReadSize);
        in.remove_prefix(read.size());
        while (!read.empty()) {
          const auto r = reader.feed(read);
          sink += r.data.size();
          read.remove_prefix(r.consumed);
          if (r.state != BodyState::InProgress) break;
        }
      }
    }
    seconds.push_back(seconds_since(start));
  }
  const double mb_per_s = static_cast<double>(body.size()) * kIterations / median(seconds) / 1e6;
  volatile std::uint64_t keep = sink;
  (void)keep;
  std::printf("chunked body: %zu bytes in %zu-byte chunks decoded\n", body.size(), kChunk);
  std::printf("BENCH name=http_parser case=chunked bytes=%zu chunk=%zu mb_per_s=%.1f\n",
              body.size(), kChunk, mb_per_s);
}

}  // namespace

int main() {
  bench_request();
  bench_chunked();
  return 0;
}
