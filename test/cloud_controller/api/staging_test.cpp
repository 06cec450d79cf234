// Packages on a real Postgres: creating them, uploading the cf CLI's multipart bodies
// (including hostile zips), resource matching, and the signed links cells download them by.
#include <archive.h>
#include <archive_entry.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>

#include "cloud_controller/src/bits/hashing.h"
#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/bits/zip_builder.h"

using namespace cupola;
using namespace cupola::cc::test;
using cupola::cc::bits::testing::ZipBuilder;
using http::StatusCode;

namespace {

constexpr std::string_view kSignerBase = "http://127.0.0.1:9022";
const std::string kBoundary = "cupola-test-boundary-7d3f";
const std::string kMultipart = "multipart/form-data; boundary=" + kBoundary;

// An org and a space holding the app "web": dev develops there, auditor audits, outsider has
// no role at all. Returns the app's guid.
std::string app_in_new_space(CcFixture& cc) {
  for (const char* who : {"dev", "auditor", "outsider"}) cc.tokens.person(who);
  std::string org =
      body_of(cc.post("/v3/organizations", "admin", R"({"name": "acme"})"))["guid"].GetString();
  std::string space =
      body_of(cc.post("/v3/spaces", "admin",
                      R"({"name": "dev", "relationships": {"organization": {"data": {"guid": ")" +
                          org + R"("}}}})"))["guid"]
          .GetString();
  auto role = [&](const std::string& type, const std::string& guid, const std::string& user) {
    std::string kind = type.starts_with("space_") ? "space" : "organization";
    auto res = cc.post("/v3/roles", "admin",
                       R"({"type": ")" + type + R"(", "relationships": {")" + kind +
                           R"(": {"data": {"guid": ")" + guid +
                           R"("}}, "user": {"data": {"username": ")" + user + R"("}}}})");
    REQUIRE(res.result() == StatusCode::created);
  };
  role("organization_user", org, "dev");
  role("organization_user", org, "auditor");
  role("space_developer", space, "dev");
  role("space_auditor", space, "auditor");
  auto app = cc.post(
      "/v3/apps", "dev",
      R"({"name": "web", "relationships": {"space": {"data": {"guid": ")" + space + R"("}}}})");
  REQUIRE(app.result() == StatusCode::created);
  return body_of(app)["guid"].GetString();
}

std::string package_body(const std::string& app, const std::string& type = "bits") {
  return R"({"type": ")" + type + R"(", "relationships": {"app": {"data": {"guid": ")" + app +
         R"("}}}})";
}

std::string new_package(CcFixture& cc, const std::string& app) {
  auto res = cc.post("/v3/packages", "dev", package_body(app));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return body_of(res)["guid"].GetString();
}

std::string state_of(CcFixture& cc, const std::string& package) {
  auto res = cc.get("/v3/packages/" + package, "dev");
  REQUIRE(res.result() == StatusCode::ok);
  return body_of(res)["state"].GetString();
}

std::string title_of(const http::Response& res) {
  return body_of(res)["errors"][0]["title"].GetString();
}

std::string zip_of(const ZipBuilder& builder) {
  cupola::testing::TempDir tmp{"cc-staging-zip"};
  builder.write(tmp / "package.zip");
  std::ifstream in(tmp / "package.zip", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The body `cf push` uploads: a `resources` form field and a `bits` file part, either optional.
std::string multipart(std::optional<std::string> resources, std::optional<std::string> zip) {
  std::string body;
  if (resources) {
    body += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n" +
            *resources + "\r\n";
  }
  if (zip) {
    body += "--" + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"bits\"; filename=\"package.zip\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n" +
            *zip + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

http::Response upload(CcFixture& cc, const std::string& package, const std::string& body,
                      const std::string& who = "dev") {
  return cc.send(http::Verb::post, "/v3/packages/" + package + "/upload", who, kMultipart, body);
}

std::string sha1_of(std::string_view bytes) {
  cc::bits::Hasher h(cc::bits::Hasher::Kind::Sha1);
  h.update(bytes);
  auto hex = h.finish();
  REQUIRE(hex.ok());
  return *hex;
}

// The path and query of a signed internal link, to send to the fixture's own port.
std::string signed_path(
    CcFixture& cc, std::string_view method, const std::string& path, std::chrono::seconds ttl,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
  std::string url = cc.signer().sign(method, path, ttl, now);
  REQUIRE(url.starts_with(kSignerBase));
  return url.substr(kSignerBase.size());
}

http::Response download(CcFixture& cc, const std::string& package) {
  std::string path = "/internal/v4/packages/" + package + "/download";
  return cc.get(signed_path(cc, "GET", path, std::chrono::seconds(60)), "");
}

struct TarEntry {
  unsigned type = 0;
  unsigned perm = 0;
  std::string content;
};

// What a gzip'd tar holds, by name, as a cell would unpack it.
std::map<std::string, TarEntry> tgz_listing(const std::string& bytes) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  REQUIRE(archive_read_open_memory(a.get(), bytes.data(), bytes.size()) == ARCHIVE_OK);
  std::map<std::string, TarEntry> out;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    TarEntry e;
    e.type = archive_entry_filetype(entry);
    e.perm = archive_entry_perm(entry);
    char buf[4096];
    for (la_ssize_t n; (n = archive_read_data(a.get(), buf, sizeof buf)) > 0;) {
      e.content.append(buf, static_cast<std::size_t>(n));
    }
    std::string name = archive_entry_pathname(entry);
    if (name.ends_with('/')) name.pop_back();
    out[name] = e;
  }
  CHECK(archive_filter_code(a.get(), 0) == ARCHIVE_FILTER_GZIP);
  return out;
}

}  // namespace

TEST_CASE("packages: developers create bits packages for the apps they can see", "[staging]") {
  CcFixture cc;
  std::string app = app_in_new_space(cc);

  auto created = cc.post("/v3/packages", "dev", package_body(app));
  INFO(created.body());
  REQUIRE(created.result() == StatusCode::created);
  auto package = body_of(created);
  CHECK(std::string(package["type"].GetString()) == "bits");
  CHECK(std::string(package["state"].GetString()) == "AWAITING_UPLOAD");
  CHECK(package["data"]["checksum"]["value"].IsNull());
  CHECK(std::string(package["relationships"]["app"]["data"]["guid"].GetString()) == app);
  std::string guid = package["guid"].GetString();
  CHECK(state_of(cc, guid) == "AWAITING_UPLOAD");
  CHECK(cc.get("/v3/packages/" + guid, "auditor").result() == StatusCode::ok);
  auto hidden = cc.get("/v3/packages/" + guid, "outsider");
  CHECK(hidden.result() == StatusCode::not_found);
  CHECK(detail_of(hidden) == "Package not found");

  auto by_auditor = cc.post("/v3/packages", "auditor", package_body(app));
  CHECK(by_auditor.result() == StatusCode::forbidden);
  CHECK(title_of(by_auditor) == "CF-NotAuthorized");
  // An app the caller cannot see and one that does not exist look alike.
  for (const auto& [who, target] : {std::pair<std::string, std::string>{"outsider", app},
                                    std::pair<std::string, std::string>{"dev", "no-such-app"}}) {
    INFO(who << " " << target);
    auto invisible = cc.post("/v3/packages", who, package_body(target));
    CHECK(invisible.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(invisible) == "App is invalid. Ensure it exists and you have access to it.");
  }
  CHECK(cc.post("/v3/packages", "dev", package_body(app, "docker")).result() ==
        StatusCode::unprocessable_entity);
  auto untyped = cc.post("/v3/packages", "dev",
                         R"({"relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})");
  CHECK(untyped.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(untyped) == "Type must be one of 'bits, docker'");
  CHECK(body_of(cc.get("/v3/packages?app_guids=" + app, "dev"))["resources"].Size() == 1);
}

TEST_CASE("package uploads: a zip becomes a READY package cells fetch by a signed link",
          "[staging]") {
  CcFixture cc;
  std::string app = app_in_new_space(cc);
  std::string guid = new_package(cc, app);
  std::string zip = zip_of(ZipBuilder()
                               .dir("bin/")
                               .file("bin/run.sh", "#!/bin/sh\nexec python3 app.py\n", 0755)
                               .file("app.py", "print('hello')\n"));

  CHECK(upload(cc, guid, multipart("[]", zip), "auditor").result() == StatusCode::forbidden);
  CHECK(state_of(cc, guid) == "AWAITING_UPLOAD");
  auto uploaded = upload(cc, guid, multipart("[]", zip));
  INFO(uploaded.body());
  REQUIRE(uploaded.result() == StatusCode::ok);
  auto package = body_of(uploaded);
  CHECK(std::string(package["state"].GetString()) == "READY");
  CHECK(std::string(package["data"]["checksum"]["type"].GetString()) == "sha256");
  std::string checksum = package["data"]["checksum"]["value"].GetString();
  CHECK(checksum.size() == 64);
  CHECK(checksum.find_first_not_of("0123456789abcdef") == std::string::npos);
  auto shown = body_of(cc.get("/v3/packages/" + guid, "auditor"));
  CHECK(std::string(shown["state"].GetString()) == "READY");
  CHECK(std::string(shown["data"]["checksum"]["value"].GetString()) == checksum);
  auto again = upload(cc, guid, multipart("[]", zip));
  CHECK(again.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(again) == "Package has already been uploaded.");

  // What `cf start` and `cf restage` look up: the newest package, the newest READY one.
  std::string newer = new_package(cc, app);
  auto listed = body_of(cc.get("/v3/packages?app_guids=" + app + "&order_by=-created_at", "dev"));
  REQUIRE(listed["resources"].Size() == 2);
  CHECK(std::string(listed["resources"][0]["guid"].GetString()) == newer);
  CHECK(std::string(listed["resources"][1]["guid"].GetString()) == guid);
  auto ready = body_of(cc.get(
      "/v3/packages?app_guids=" + app + "&order_by=-created_at&states=READY&per_page=1", "dev"));
  REQUIRE(ready["resources"].Size() == 1);
  CHECK(std::string(ready["resources"][0]["guid"].GetString()) == guid);
  auto of_app = body_of(cc.get("/v3/apps/" + app + "/packages", "auditor"));
  CHECK(of_app["pagination"]["total_results"].GetInt() == 2);

  // The cell's download: no token, a signed link; the package is a gzip'd tar with modes.
  auto fetched = download(cc, guid);
  REQUIRE(fetched.result() == StatusCode::ok);
  auto files = tgz_listing(fetched.body());
  REQUIRE(files.size() == 3);
  CHECK(files["bin"].type == AE_IFDIR);
  CHECK(files["bin/run.sh"].type == AE_IFREG);
  CHECK(files["bin/run.sh"].perm == 0755);
  CHECK(files["bin/run.sh"].content == "#!/bin/sh\nexec python3 app.py\n");
  CHECK(files["app.py"].perm == 0644);
  CHECK(files["app.py"].content == "print('hello')\n");
  CHECK(download(cc, newer).result() == StatusCode::not_found);

  std::string path = "/internal/v4/packages/" + guid + "/download";
  std::string good = signed_path(cc, "GET", path, std::chrono::seconds(60));
  std::string forged = good;
  forged.back() = forged.back() == '0' ? '1' : '0';
  std::string other = signed_path(cc, "GET", "/internal/v4/packages/" + newer + "/download",
                                  std::chrono::seconds(60));
  auto an_hour_ago = std::chrono::system_clock::now() - std::chrono::hours(1);
  for (const std::string& target :
       {forged, path, path + other.substr(other.find('?')),
        signed_path(cc, "GET", path, std::chrono::seconds(-10)),
        signed_path(cc, "GET", path, std::chrono::seconds(60), an_hour_ago),
        signed_path(cc, "POST", path, std::chrono::seconds(60))}) {
    INFO(target);
    auto refused = cc.get(target, "");
    CHECK(refused.result() == StatusCode::forbidden);
    CHECK(detail_of(refused) == "This link is not valid or has expired.");
  }
}

TEST_CASE("resource matches: files seen before are left out of the zip and come from the cache",
          "[staging]") {
  CcFixture cc;
  std::string app = app_in_new_space(cc);
  const std::string util = "def helper():\n    return 42\n";
  const std::string util_sha1 = sha1_of(util);
  std::string first = new_package(cc, app);
  REQUIRE(upload(cc, first,
                 multipart("[]", zip_of(ZipBuilder()
                                            .dir("lib/")
                                            .file("lib/util.py", util, 0755)
                                            .file("app.py", "import lib.util\n"))))
              .result() == StatusCode::ok);

  auto matched =
      cc.post("/v3/resource_matches", "dev",
              R"({"resources": [{"path": "lib/util.py", "mode": "755", "checksum": {"value": ")" +
                  util_sha1 + R"("}, "size_in_bytes": )" + std::to_string(util.size()) +
                  R"(}, {"path": "never.txt", "mode": "644", "checksum": {"value": ")" +
                  sha1_of("never uploaded") + R"("}, "size_in_bytes": 14}]})");
  INFO(matched.body());
  REQUIRE(matched.result() == StatusCode::created);
  auto found = body_of(matched);
  REQUIRE(found["resources"].Size() == 1);
  const auto& known = found["resources"][0];
  CHECK(std::string(known["path"].GetString()) == "lib/util.py");
  CHECK(std::string(known["mode"].GetString()) == "755");
  CHECK(std::string(known["checksum"]["value"].GetString()) == util_sha1);
  CHECK(known["size_in_bytes"].GetUint64() == util.size());

  // The push that follows sends the match as `resources` and zips only the rest.
  std::string resources = R"([{"path": "lib/util.py", "mode": "755", "checksum": {"value": ")" +
                          util_sha1 + R"("}, "size_in_bytes": )" + std::to_string(util.size()) +
                          "}]";
  std::string second = new_package(cc, app);
  auto uploaded =
      upload(cc, second, multipart(resources, zip_of(ZipBuilder().file("app.py", "v2\n"))));
  INFO(uploaded.body());
  REQUIRE(uploaded.result() == StatusCode::ok);
  CHECK(std::string(body_of(uploaded)["state"].GetString()) == "READY");
  auto files = tgz_listing(download(cc, second).body());
  CHECK(files["app.py"].content == "v2\n");
  CHECK(files["lib/util.py"].content == util);
  CHECK(files["lib/util.py"].perm == 0755);

  // A resource the cache never had: refused, and the package is as it was.
  std::string third = new_package(cc, app);
  std::string unknown = R"([{"path": "gone.py", "mode": "644", "checksum": {"value": ")" +
                        sha1_of("not cached") + R"("}, "size_in_bytes": 10}])";
  auto refused = upload(cc, third, multipart(unknown, zip_of(ZipBuilder().file("app.py", "v3\n"))));
  CHECK(refused.result() == StatusCode::unprocessable_entity);
  CHECK_THAT(detail_of(refused),
             Catch::Contains("'gone.py'") && Catch::Contains("no longer cached"));
  CHECK(state_of(cc, third) == "AWAITING_UPLOAD");
  CHECK(download(cc, third).result() == StatusCode::not_found);
  auto escaping = upload(
      cc, third,
      multipart(R"([{"path": "../escape.py", "mode": "644", "checksum": {"value": ")" + util_sha1 +
                    R"("}, "size_in_bytes": )" + std::to_string(util.size()) + "}]",
                std::nullopt));
  CHECK(escaping.result() == StatusCode::unprocessable_entity);
  CHECK_THAT(detail_of(escaping), Catch::Contains("leaves the app directory"));
  auto malformed =
      upload(cc, third,
             multipart(R"([{"checksum": {"value": "xyz"}, "size_in_bytes": 1}])", std::nullopt));
  CHECK(malformed.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(malformed) == "Resources must each have a checksum value that is a SHA-1");
  CHECK(state_of(cc, third) == "AWAITING_UPLOAD");
}

TEST_CASE("package uploads: hostile and malformed uploads are refused and change nothing",
          "[staging]") {
  CcFixture cc;
  std::string app = app_in_new_space(cc);
  std::string guid = new_package(cc, app);

  struct Hostile {
    std::string name;
    ZipBuilder zip;
    std::string says;
  };
  std::vector<Hostile> cases{
      {"a path that climbs out", ZipBuilder().file("app.py", "ok").file("../evil", "pwned"),
       "leaves the app directory"},
      {"an absolute path", ZipBuilder().file("/etc/evil", "pwned"), "is absolute"},
      {"a link out of the app", ZipBuilder().symlink("etc", "../../etc"),
       "points outside the app directory"},
      {"a zip bomb", ZipBuilder().zeros("bomb", 8ull << 20), "it unpacks to more than 4 MB"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string zip = zip_of(c.zip);
    REQUIRE(zip.size() < (1u << 20));
    auto res = upload(cc, guid, multipart("[]", zip));
    CHECK(res.result() == StatusCode::unprocessable_entity);
    CHECK_THAT(detail_of(res),
               Catch::StartsWith("The app package is invalid: ") && Catch::Contains(c.says));
    CHECK(state_of(cc, guid) == "AWAITING_UPLOAD");
  }

  auto huge = upload(cc, guid, multipart("[]", std::string(3u << 20, 'x')));
  CHECK(huge.result() == StatusCode::payload_too_large);
  CHECK(state_of(cc, guid) == "AWAITING_UPLOAD");

  auto plain = cc.send(http::Verb::post, "/v3/packages/" + guid + "/upload", "dev",
                       "application/zip", zip_of(ZipBuilder().file("app.py", "x")));
  CHECK(plain.result() == StatusCode::bad_request);
  CHECK(title_of(plain) == "CF-MessageParseError");

  std::string neither = "--" + kBoundary +
                        "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" +
                        kBoundary + "--\r\n";
  auto empty = upload(cc, guid, neither);
  CHECK(empty.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(empty) == "Upload must include either resources or bits");
  CHECK(state_of(cc, guid) == "AWAITING_UPLOAD");
  CHECK(download(cc, guid).result() == StatusCode::not_found);

  // None of it left anything behind that stands in the way of an honest upload.
  auto honest = upload(cc, guid, multipart("[]", zip_of(ZipBuilder().file("app.py", "ok\n"))));
  REQUIRE(honest.result() == StatusCode::ok);
  auto files = tgz_listing(download(cc, guid).body());
  CHECK(files.size() == 1);
  CHECK(files["app.py"].content == "ok\n");
}
