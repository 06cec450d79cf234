#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/context.h"

namespace cupola::http {

struct RouteOptions {
  // Overrides the server's body limit for this route (uploads).
  std::optional<std::size_t> max_body_bytes;
  // Bypasses the server's middleware (liveness and metrics endpoints).
  bool skip_middleware = false;
};

// Method + path template routing. Templates are literal segments, `:name` (one segment) and
// a final `*name` (the rest of the path, possibly empty). When several templates match,
// the most literal wins ("/v3/apps/mine" beats "/v3/apps/:guid"). Build it once before the
// server starts; lookups are then read-only and thread-safe.
class Router {
 public:
  struct Route {
    Verb verb;
    std::string pattern;
    Handler handler;
    RouteOptions options;
    std::vector<std::string> segments;
  };

  struct Lookup {
    enum class Kind { Found, NotFound, MethodNotAllowed };
    Kind kind = Kind::NotFound;
    const Route* route = nullptr;
    PathParams params;
    std::string allow;  // for MethodNotAllowed: "GET, POST"
  };

  // Asserts on a malformed template (programming error).
  Router& add(Verb verb, std::string_view pattern, Handler handler, RouteOptions options = {});
  Router& get(std::string_view p, Handler h, RouteOptions o = {}) {
    return add(Verb::get, p, std::move(h), o);
  }
  Router& post(std::string_view p, Handler h, RouteOptions o = {}) {
    return add(Verb::post, p, std::move(h), o);
  }
  Router& put(std::string_view p, Handler h, RouteOptions o = {}) {
    return add(Verb::put, p, std::move(h), o);
  }
  Router& patch(std::string_view p, Handler h, RouteOptions o = {}) {
    return add(Verb::patch, p, std::move(h), o);
  }
  Router& del(std::string_view p, Handler h, RouteOptions o = {}) {
    return add(Verb::delete_, p, std::move(h), o);
  }

  // `path` is the raw path (no query); parameters come back percent-decoded. HEAD falls
  // back to GET.
  Lookup find(Verb verb, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace cupola::http
