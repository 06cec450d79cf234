#pragma once

// One input through the parsers fed whole and fed in random pieces: both must end the same
// way, results must stay inside the input, and body readers must always make progress.
// Shared by the seeded random-input test and the libFuzzer target.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gorouter/http/body_reader.h"
#include "gorouter/http/request_parser.h"
#include "gorouter/http/response_parser.h"

namespace cupola::router::http::testing {

// splitmix64: a tiny deterministic generator for piece sizes.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // A piece size: often a single byte, otherwise up to 64.
  std::size_t piece() { return next() % 4 == 0 ? 1 : 1 + next() % 64; }

 private:
  std::uint64_t state_;
};

// What a differential run saw, for coverage counts.
struct DiffStats {
  std::size_t heads_complete = 0;
  std::size_t heads_rejected = 0;
  std::size_t bodies_done = 0;
  std::size_t chunked_done = 0;
  std::size_t bodies_rejected = 0;
};

namespace detail_diff {

inline bool inside(std::string_view view, std::string_view buffer) {
  return view.empty() || (view.data() >= buffer.data() &&
                          view.data() + view.size() <= buffer.data() + buffer.size());
}

inline bool same_headers(const Headers& a, const Headers& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
  }
  return true;
}

inline bool expected_status(int status, Side side) {
  if (side == Side::Response) return status == 502;
  return status == 400 || status == 414 || status == 431 || status == 501 || status == 505;
}

// Reads a body whole and in random pieces; returns a problem or "".
inline std::string check_body(BodyFraming framing, Side side, std::string_view bytes, SplitMix& rng,
                              DiffStats& stats) {
  struct Run {
    std::string data;
    std::size_t consumed = 0;
    BodyState state = BodyState::InProgress;
    ParseErrc code = ParseErrc::Ok;
  };
  const auto run = [&](bool pieces, std::string& problem) {
    BodyReader reader(framing, side);
    Run out;
    while (out.consumed < bytes.size()) {
      const std::string_view in =
          bytes.substr(out.consumed, pieces ? rng.piece() : std::string_view::npos);
      const BodyResult r = reader.feed(in);
      if (r.consumed > in.size() || !inside(r.data, in) || r.data.size() > r.consumed) {
        problem = "body result outside its input";
        return out;
      }
      out.data.append(r.data);
      out.consumed += r.consumed;
      out.state = r.state;
      out.code = r.error.code;
      if (r.state != BodyState::InProgress) break;
      if (r.consumed == 0) {
        problem = "body reader made no progress";
        return out;
      }
    }
    if (out.state == BodyState::InProgress && bytes.empty()) out.state = reader.feed({}).state;
    return out;
  };
  std::string problem;
  const Run whole = run(false, problem);
  if (!problem.empty()) return problem;
  const Run split = run(true, problem);
  if (!problem.empty()) return problem;
  if (whole.data != split.data || whole.consumed != split.consumed || whole.state != split.state ||
      whole.code != split.code) {
    return "body differs when fed in pieces";
  }
  if (whole.state == BodyState::Done) {
    ++stats.bodies_done;
    if (framing.kind == BodyKind::Chunked) ++stats.chunked_done;
  }
  if (whole.state == BodyState::Error) ++stats.bodies_rejected;
  return {};
}

// `buffer` receives the pieces fed to `split`; its head points into it.
template <class Parser, class Head>
std::string check_head(Parser& whole, Parser& split, std::string_view bytes, std::string& buffer,
                       Side side, std::size_t max_headers, SplitMix& rng, DiffStats& stats,
                       const Head& (Parser::*head)() const noexcept) {
  const HeadResult a = whole.feed(bytes);
  HeadResult b;
  std::size_t fed = 0;
  do {
    const std::size_t n = std::min(rng.piece(), bytes.size() - fed);
    buffer.append(bytes.substr(fed, n));
    fed += n;
    b = split.feed(buffer);
  } while (b.state == HeadState::NeedMore && fed < bytes.size());

  if (a.state != b.state || a.consumed != b.consumed || a.error.code != b.error.code ||
      a.error.status != b.error.status) {
    return "head outcome differs when fed in pieces";
  }
  if (a.state == HeadState::NeedMore) return a.consumed == 0 ? "" : "NeedMore consumed bytes";
  if (a.state == HeadState::Error) {
    ++stats.heads_rejected;
    if (!expected_status(a.error.status, side) || a.error.reason.empty()) {
      return "unexpected error status";
    }
    return {};
  }
  ++stats.heads_complete;
  if (a.consumed == 0 || a.consumed > bytes.size()) return "head length outside the input";
  const Head& ha = (whole.*head)();
  const Head& hb = (split.*head)();
  if (ha.headers.size() > max_headers) return "more headers than the limit";
  if (!same_headers(ha.headers, hb.headers) || ha.body.kind != hb.body.kind ||
      ha.body.length != hb.body.length || ha.version != hb.version) {
    return "head differs when fed in pieces";
  }
  for (const Header& h : ha.headers) {
    if (!inside(h.name, bytes.substr(0, a.consumed)) ||
        !inside(h.value, bytes.substr(0, a.consumed)) || h.name.empty()) {
      return "header view outside the head";
    }
  }
  return check_body(ha.body, side, bytes.substr(a.consumed), rng, stats);
}

}  // namespace detail_diff

// Checks `bytes` as a request; returns "" or what went wrong.
inline std::string check_request(std::string_view bytes, const Limits& limits, std::uint64_t seed,
                                 DiffStats& stats) {
  SplitMix rng(seed);
  RequestParser whole(limits);
  RequestParser split(limits);
  std::string buffer;
  std::string problem =
      detail_diff::check_head(whole, split, bytes, buffer, Side::Request, limits.max_headers, rng,
                              stats, &RequestParser::head);
  if (problem.empty() && whole.feed(bytes).state == HeadState::Complete) {
    const RequestHead& h = whole.head();
    if (h.method.empty() || h.target.empty() || !detail_diff::inside(h.method, bytes) ||
        !detail_diff::inside(h.target, bytes) || h.method != split.head().method ||
        h.target != split.head().target || h.form != split.head().form) {
      problem = "request line differs or lies outside the input";
    }
  }
  return problem;
}

// Checks `bytes` as the response to a `method` request; returns "" or what went wrong.
inline std::string check_response(std::string_view bytes, std::string_view method,
                                  const Limits& limits, std::uint64_t seed, DiffStats& stats) {
  SplitMix rng(seed);
  ResponseParser whole(limits);
  ResponseParser split(limits);
  whole.reset(method);
  split.reset(method);
  std::string buffer;
  std::string problem =
      detail_diff::check_head(whole, split, bytes, buffer, Side::Response, limits.max_headers, rng,
                              stats, &ResponseParser::head);
  if (problem.empty() && whole.feed(bytes).state == HeadState::Complete) {
    const ResponseHead& h = whole.head();
    if (h.status < 100 || h.status > 599 || h.status != split.head().status ||
        h.reason != split.head().reason || !detail_diff::inside(h.reason, bytes)) {
      problem = "status line differs or lies outside the input";
    }
  }
  return problem;
}

}  // namespace cupola::router::http::testing
