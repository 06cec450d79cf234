#include "common/http/router.h"

#include <cassert>

namespace cupola::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return out;
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Lower is more specific: literal 0, parameter 1, wildcard 2 per segment.
using Specificity = std::vector<int>;

bool match(const Router::Route& route, const std::vector<std::string_view>& parts,
           std::string_view path, PathParams& params, Specificity& spec) {
  const auto& segs = route.segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    if (seg[0] == '*') {
      // The rest of the raw path after the literal prefix.
      std::size_t offset = 0;
      for (std::size_t j = 0; j < i; ++j) offset += 1 + parts[j].size();
      std::string_view rest = offset + 1 <= path.size() ? path.substr(offset + 1) : "";
      bool ok = true;
      params.add(seg.substr(1), percent_decode(rest, ok));
      spec.push_back(2);
      return ok;
    }
    if (i >= parts.size()) return false;
    if (seg[0] == ':') {
      if (parts[i].empty()) return false;
      bool ok = true;
      params.add(seg.substr(1), percent_decode(parts[i], ok));
      if (!ok) return false;
      spec.push_back(1);
    } else if (seg != parts[i]) {
      return false;
    } else {
      spec.push_back(0);
    }
  }
  return parts.size() == segs.size();
}

}  // namespace

Router& Router::add(Verb verb, std::string_view pattern, Handler handler, RouteOptions options) {
  assert(!pattern.empty() && pattern.front() == '/');
  Route r{verb, std::string(pattern), std::move(handler), options, {}};
  for (auto seg : split_path(pattern)) {
    assert(!seg.empty() && "empty segment in route template");
    r.segments.emplace_back(seg);
  }
  for (std::size_t i = 0; i < r.segments.size(); ++i) {
    assert((r.segments[i][0] != '*' || i + 1 == r.segments.size()) && "'*' must be last");
  }
  routes_.push_back(std::move(r));
  return *this;
}

Router::Lookup Router::find(Verb verb, std::string_view path) const {
  auto parts = split_path(path);
  Lookup best;
  Specificity best_spec;
  std::string allow;
  for (Verb wanted : {verb, Verb::get}) {
    for (const auto& route : routes_) {
      PathParams params;
      Specificity spec;
      if (!match(route, parts, path, params, spec)) continue;
      if (route.verb != wanted) {
        if (wanted == verb && allow.find(to_string(route.verb)) == std::string::npos) {
          if (!allow.empty()) allow += ", ";
          allow += std::string(to_string(route.verb));
        }
        continue;
      }
      if (!best.route || spec < best_spec) {
        best.kind = Lookup::Kind::Found;
        best.route = &route;
        best.params = std::move(params);
        best_spec = std::move(spec);
      }
    }
    if (best.route || verb != Verb::head) break;
  }
  if (!best.route && !allow.empty()) {
    best.kind = Lookup::Kind::MethodNotAllowed;
    best.allow = std::move(allow);
  }
  return best;
}

}  // namespace cupola::http
