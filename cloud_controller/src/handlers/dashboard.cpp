#include "cloud_controller/src/handlers/dashboard.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <system_error>

#include "cloud_controller/src/api/errors.h"

namespace cupola::cc {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr ContentType kContentTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".woff2", "font/woff2"},
};

// The pages fetch only from their own origin, the log store (another origin, known at run
// time) and its WebSocket; nothing inline runs.
constexpr std::string_view kPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' http: https: ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

std::string_view content_type_of(const fs::path& file) {
  std::string ext = file.extension().string();
  for (const auto& c : kContentTypes) {
    if (c.extension == ext) return c.type;
  }
  return "application/octet-stream";
}

// The relative path `rest` names under the assets, or nothing when it may not name one:
// "..", "." and hidden segments, backslashes and NULs (a decoded %00 or %5C) are refused.
std::optional<fs::path> relative_asset_path(std::string_view rest) {
  fs::path out;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    if (!segment.empty()) {
      if (segment.front() == '.') return std::nullopt;
      if (segment.find_first_of(std::string_view("\\\0:", 3)) != std::string_view::npos) {
        return std::nullopt;
      }
      out /= std::string(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

// `file` resolved through every symlink, when it is a regular file inside `root` (itself
// canonical).
std::optional<fs::path> contained_file(const fs::path& root, const fs::path& file) {
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(real, ec) || ec) return std::nullopt;
  auto [r, f] = std::mismatch(root.begin(), root.end(), real.begin(), real.end());
  if (r != root.end() || f == real.end()) return std::nullopt;
  return real;
}

bool has_extension(std::string_view rest) {
  auto last = rest.rfind('/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  return name.find('.') != std::string_view::npos;
}

struct Assets {
  fs::path root;  // canonical when it exists

  http::Response serve(const http::RequestContext& ctx, std::string_view rest) const {
    auto relative = relative_asset_path(rest);
    if (!relative) return error_response(unknown_request());
    std::optional<fs::path> file;
    if (!relative->empty()) file = contained_file(root, root / *relative);
    if (!file) {
      if (has_extension(rest)) return error_response(unknown_request());
      file = contained_file(root, root / "index.html");
      if (!file) return error_response(unknown_request());
    }
    std::error_code ec;
    auto size = fs::file_size(*file, ec);
    auto modified = fs::last_write_time(*file, ec);
    if (ec) return error_response(unknown_request());
    if (size > kMaxDashboardAssetBytes) {
      ctx.log.error("dashboard.asset-too-large", "not served",
                    {{"path", file->string()}, {"bytes", std::to_string(size)}});
      CcError e;
      e.detail = "The dashboard file is too large to serve.";
      return error_response(e);
    }
    std::string etag = "\"" + std::to_string(size) + "-" +
                       std::to_string(modified.time_since_epoch().count()) + "\"";
    http::Response res;
    if (ctx.request[http::bhttp::field::if_none_match] == etag) {
      res = http::make_response(http::StatusCode::not_modified, "", content_type_of(*file));
      res.erase(http::bhttp::field::content_type);
    } else {
      std::ifstream in(*file, std::ios::binary);
      std::string body(size, '\0');
      if (!in.read(body.data(), static_cast<std::streamsize>(size))) {
        return error_response(unknown_request());
      }
      res = http::make_response(http::StatusCode::ok, std::move(body), content_type_of(*file));
    }
    res.set(http::bhttp::field::etag, etag);
    res.set(http::bhttp::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    if (file->extension() == ".html") {
      res.set("Content-Security-Policy", kPolicy);
      res.set("X-Frame-Options", "DENY");
    }
    return res;
  }
};

}  // namespace

void add_dashboard_routes(http::Router& r, std::string assets_dir) {
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(assets_dir, ec), ec);
  auto assets = std::make_shared<const Assets>(Assets{root});
  r.get("/dashboard", [assets](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    co_return assets->serve(ctx, "");
  });
  r.get("/dashboard/*rest", [assets](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    co_return assets->serve(ctx, ctx.params.get("rest"));
  });
}

}  // namespace cupola::cc
