#include "cloud_controller/src/handlers/dashboard.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"

using namespace cupola;
using cupola::http::test::BlockingClient;
using cupola::http::test::ServerFixture;
namespace fs = std::filesystem;

namespace {

std::string header(const http::Response& res, http::bhttp::field f) { return std::string(res[f]); }

}  // namespace

TEST_CASE("The dashboard's files are served at /dashboard") {
  testing::TempDir dir("dashboard");
  fs::create_directories(dir / "assets" / "js");
  fs::create_directories(dir / "assets" / ".hidden");
  dir.write_file("assets/index.html", "<!doctype html><title>Cupola</title>");
  dir.write_file("assets/js/app.js", "export const x = 1;\n");
  dir.write_file("assets/style.css", "body { margin: 0; }\n");
  dir.write_file("assets/.hidden/secret.txt", "hidden");
  dir.write_file("secret.txt", "outside");
  fs::create_symlink(dir / "secret.txt", dir / "assets" / "escape.txt");
  fs::create_directory_symlink(dir.path(), dir / "assets" / "up");
  fs::create_symlink(dir / "assets" / "style.css", dir / "assets" / "linked.css");

  http::Router r;
  cc::add_dashboard_routes(r, (dir / "assets").string());
  ServerFixture server(std::move(r));
  BlockingClient client(server.port());

  SECTION("/dashboard and /dashboard/ answer index.html, not cached without revalidation") {
    for (const char* path : {"/dashboard", "/dashboard/"}) {
      auto res = client.get(path);
      CHECK(res.result() == http::StatusCode::ok);
      CHECK(res.body() == "<!doctype html><title>Cupola</title>");
      CHECK(header(res, http::bhttp::field::content_type) == "text/html; charset=utf-8");
      CHECK(header(res, http::bhttp::field::cache_control) == "no-cache");
      CHECK_FALSE(header(res, http::bhttp::field::etag).empty());
      CHECK(res["Content-Security-Policy"].find("default-src 'self'") != std::string::npos);
      CHECK(res["X-Content-Type-Options"] == "nosniff");
    }
  }
  SECTION("modules and style sheets get their content types") {
    auto js = client.get("/dashboard/js/app.js");
    CHECK(js.result() == http::StatusCode::ok);
    CHECK(js.body() == "export const x = 1;\n");
    CHECK(header(js, http::bhttp::field::content_type) == "text/javascript; charset=utf-8");
    auto css = client.get("/dashboard/style.css");
    CHECK(css.result() == http::StatusCode::ok);
    CHECK(header(css, http::bhttp::field::content_type) == "text/css; charset=utf-8");
  }
  SECTION("a known ETag is answered 304 without a body") {
    auto first = client.get("/dashboard/js/app.js");
    http::Request again{http::Verb::get, "/dashboard/js/app.js", 11};
    again.set(http::bhttp::field::if_none_match, header(first, http::bhttp::field::etag));
    auto res = client.request(std::move(again));
    CHECK(res.result() == http::StatusCode::not_modified);
    CHECK(res.body().empty());
  }
  SECTION("the dashboard's own pages (no extension) answer index.html") {
    for (const char* path :
         {"/dashboard/orgs", "/dashboard/orgs/abc/spaces/def", "/dashboard/apps/1234-5678"}) {
      auto res = client.get(path);
      CHECK(res.result() == http::StatusCode::ok);
      CHECK(res.body() == "<!doctype html><title>Cupola</title>");
    }
  }
  SECTION("a missing file with an extension is 404, not the index page") {
    auto res = client.get("/dashboard/js/missing.js");
    CHECK(res.result() == http::StatusCode::not_found);
    CHECK(res.body().find("Unknown request") != std::string::npos);
  }
  SECTION("nothing outside the directory, nor hidden, is served") {
    for (const char* path :
         {"/dashboard/../secret.txt", "/dashboard/%2e%2e/secret.txt",
          "/dashboard/js/%2E%2E/%2E%2E/secret.txt", "/dashboard/..%2Fsecret.txt",
          "/dashboard/escape.txt", "/dashboard/up/secret.txt", "/dashboard/.hidden/secret.txt",
          "/dashboard/js%5C..%5C..%5Csecret.txt", "/dashboard/%2Fetc%2Fpasswd",
          "/dashboard//etc/passwd.txt", "/dashboard/index.html%00.js"}) {
      auto res = client.get(path);
      INFO(path);
      CHECK(res.body().find("outside") == std::string::npos);
      CHECK(res.body().find("hidden") == std::string::npos);
      CHECK(res.body().find("root:") == std::string::npos);
    }
    CHECK(client.get("/dashboard/escape.txt").result() == http::StatusCode::not_found);
    CHECK(client.get("/dashboard/up/secret.txt").result() == http::StatusCode::not_found);
    CHECK(client.get("/dashboard/.hidden/secret.txt").result() == http::StatusCode::not_found);
    CHECK(client.get("/dashboard/%2e%2e/secret.txt").result() == http::StatusCode::not_found);
  }
  SECTION("a symlink that stays inside the directory is followed") {
    auto res = client.get("/dashboard/linked.css");
    CHECK(res.result() == http::StatusCode::ok);
    CHECK(res.body() == "body { margin: 0; }\n");
  }
  SECTION("a file over the size limit is not served") {
    std::ofstream(dir / "assets" / "big.js") << std::string(cc::kMaxDashboardAssetBytes + 1, 'x');
    auto res = client.get("/dashboard/big.js");
    CHECK(res.result() == http::StatusCode::internal_server_error);
    CHECK(res.body().size() < 1000);
  }
}
