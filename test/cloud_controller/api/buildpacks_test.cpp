// Admin buildpacks on a real Postgres: Cloud Foundry's positions as buildpacks come, move and
// go, uploads stored as tgzs a cell can unpack, who may change what, the list staging
// detects with, and the buildpacks the platform ships with.
#include <archive.h>
#include <archive_entry.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>

#include "cloud_controller/src/bits/hashing.h"
#include "cloud_controller/src/handlers/buildpacks.h"
#include "test/cloud_controller/api/cc_fixture.h"
#include "test/cloud_controller/bits/zip_builder.h"

using namespace cupola;
using namespace cupola::cc::test;
using cupola::cc::bits::testing::ZipBuilder;
using http::StatusCode;
namespace fs = std::filesystem;

namespace {

const std::string kBoundary = "cupola-buildpack-boundary-41c2";
const std::string kMultipart = "multipart/form-data; boundary=" + kBoundary;

std::string text(const json::Value& v) { return v.IsString() ? v.GetString() : "<not a string>"; }

std::string create(CcFixture& cc, const std::string& body) {
  auto res = cc.post("/v3/buildpacks", "admin", body);
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::created);
  return text(body_of(res)["guid"]);
}

http::Response patch(CcFixture& cc, const std::string& guid, const std::string& body,
                     const std::string& who = "admin") {
  return cc.call(http::Verb::patch, "/v3/buildpacks/" + guid, who, body);
}

// "name@position", in the list's default order.
std::vector<std::string> order_of(CcFixture& cc) {
  auto doc = body_of(cc.get("/v3/buildpacks", "admin"));
  std::vector<std::string> out;
  for (const auto& b : doc["resources"].GetArray()) {
    out.push_back(text(b["name"]) + "@" + std::to_string(b["position"].GetInt64()));
  }
  return out;
}

std::string zip_of(const ZipBuilder& builder) {
  cupola::testing::TempDir tmp{"cc-buildpack-zip"};
  builder.write(tmp / "bp.zip");
  std::ifstream in(tmp / "bp.zip", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

ZipBuilder detecting_zip() {
  ZipBuilder z;
  z.dir("bin").file("bin/detect", "#!/bin/sh\necho static\n", 0755);
  z.file("bin/compile", "#!/bin/sh\n", 0755).file("README.md", "a buildpack\n", 0644);
  return z;
}

// The body `cf create-buildpack` uploads: one `bits` file part.
std::string bits_body(const std::string& zip, const std::string& filename = "my-buildpack.zip") {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"bits\"; filename=\"" +
         filename + "\"\r\nContent-Type: application/zip\r\n\r\n" + zip + "\r\n--" + kBoundary +
         "--\r\n";
}

http::Response upload(CcFixture& cc, const std::string& guid, const std::string& body,
                      const std::string& who = "admin") {
  return cc.send(http::Verb::post, "/v3/buildpacks/" + guid + "/upload", who, kMultipart, body);
}

std::string blob_of(CcFixture& cc, const std::string& guid) {
  auto path = cc.api().blobs.path(cc::buildpack_blob_key(guid));
  REQUIRE(path.ok());
  std::ifstream in(*path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sha256_of(std::string_view bytes) {
  cc::bits::Hasher h(cc::bits::Hasher::Kind::Sha256);
  h.update(bytes);
  auto hex = h.finish();
  REQUIRE(hex.ok());
  return *hex;
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

// The job a 202 points at, as the CLI polls it.
json::Document job_of(CcFixture& cc, const http::Response& res) {
  std::string location(res[http::bhttp::field::location]);
  REQUIRE(location.starts_with("https://api.test/v3/jobs/"));
  auto job = cc.get(location.substr(std::string("https://api.test").size()), "admin");
  REQUIRE(job.result() == StatusCode::ok);
  return body_of(job);
}

std::vector<std::string> staging_names(CcFixture& cc, const std::string& stack) {
  auto list = cc.run(cc::staging_buildpacks(cc.api(), stack));
  REQUIRE(list.ok());
  std::vector<std::string> out;
  for (const auto& b : *list) out.push_back(b.name);
  return out;
}

void make_file(const fs::path& path, const std::string& content, fs::perms perms) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
  fs::permissions(path, perms);
}

}  // namespace

TEST_CASE("admins create buildpacks at Cloud Foundry's positions", "[buildpacks]") {
  CcFixture cc;
  auto res = cc.post("/v3/buildpacks", "admin", R"({"name": "ruby_buildpack"})");
  REQUIRE(res.result() == StatusCode::created);
  auto ruby = body_of(res);
  CHECK(text(ruby["state"]) == "AWAITING_UPLOAD");
  CHECK(ruby["filename"].IsNull());
  CHECK(ruby["stack"].IsNull());
  CHECK(ruby["position"].GetInt64() == 1);
  CHECK(ruby["enabled"].GetBool());
  CHECK_FALSE(ruby["locked"].GetBool());
  CHECK(text(ruby["lifecycle"]) == "buildpack");
  CHECK(ruby["metadata"]["labels"].ObjectEmpty());
  std::string self = "https://api.test/v3/buildpacks/" + text(ruby["guid"]);
  CHECK(text(ruby["links"]["self"]["href"]) == self);
  CHECK(text(ruby["links"]["upload"]["href"]) == self + "/upload");
  CHECK(text(ruby["links"]["upload"]["method"]) == "POST");

  // A position past the end lands last; an earlier one pushes the others down; none means 1.
  create(cc, R"({"name": "go_buildpack", "position": 42})");
  create(cc, R"({"name": "java_buildpack", "position": 2, "enabled": false, "locked": true})");
  create(cc, R"({"name": "node_buildpack"})");
  CHECK(order_of(cc) == std::vector<std::string>{"node_buildpack@1", "ruby_buildpack@2",
                                                 "java_buildpack@3", "go_buildpack@4"});

  SECTION("names are unique per stack") {
    auto again = cc.post("/v3/buildpacks", "admin", R"({"name": "ruby_buildpack"})");
    CHECK(again.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(again) ==
          "Buildpack with name 'ruby_buildpack' and an unassigned stack already exists");
    create(cc, R"({"name": "ruby_buildpack", "stack": "cupolafs"})");
    auto taken =
        cc.post("/v3/buildpacks", "admin", R"({"name": "ruby_buildpack", "stack": "cupolafs"})");
    CHECK(taken.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(taken) ==
          "Buildpack with name 'ruby_buildpack', stack 'cupolafs' and "
          "lifecycle 'buildpack' already exists");
    // Those of the stack, and ("") those without one.
    auto on_stack = body_of(cc.get("/v3/buildpacks?stacks=cupolafs", "admin"));
    REQUIRE(on_stack["resources"].Size() == 1);
    CHECK(text(on_stack["resources"][0]["stack"]) == "cupolafs");
    CHECK(body_of(cc.get("/v3/buildpacks?stacks=", "admin"))["pagination"]["total_results"]
              .GetInt64() == 4);
    CHECK(body_of(cc.get("/v3/buildpacks?stacks=,cupolafs", "admin"))["pagination"]["total_results"]
              .GetInt64() == 5);
  }

  SECTION("bodies are checked in Cloud Foundry's words") {
    auto blank = cc.post("/v3/buildpacks", "admin", "{}");
    CHECK(blank.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(blank) == "Name must be a string, Name can't be blank, Name is invalid");
    auto bad = cc.post("/v3/buildpacks", "admin",
                       R"({"name": "no spaces", "position": 0, "enabled": "yes", "x": 1})");
    CHECK(detail_of(bad) ==
          "Unknown field(s): 'x', Name is invalid, Position must be greater than or equal to "
          "1, Enabled must be a boolean");
    auto odd = cc.post("/v3/buildpacks", "admin",
                       R"({"name": "b", "position": 1.5, "lifecycle": "docker"})");
    CHECK(detail_of(odd) ==
          R"(Position must be an integer, Lifecycle must be either "buildpack" or "cnb")");
  }

  SECTION("lists filter by name, page and order") {
    CHECK(names_in(cc.get("/v3/buildpacks?names=go_buildpack,ruby_buildpack", "admin")) ==
          std::vector<std::string>{"ruby_buildpack", "go_buildpack"});
    auto page = body_of(cc.get("/v3/buildpacks?per_page=3&page=2", "admin"));
    CHECK(page["pagination"]["total_results"].GetInt64() == 4);
    CHECK(page["resources"].Size() == 1);
    CHECK(names_in(cc.get("/v3/buildpacks?order_by=-position", "admin")).front() == "go_buildpack");
    CHECK(cc.get("/v3/buildpacks?order_by=name", "admin").result() == StatusCode::bad_request);
    auto one = cc.get("/v3/buildpacks/" + text(ruby["guid"]), "admin");
    CHECK(one.result() == StatusCode::ok);
    CHECK(text(body_of(one)["name"]) == "ruby_buildpack");
    auto missing = cc.get("/v3/buildpacks/nope", "admin");
    CHECK(missing.result() == StatusCode::not_found);
    CHECK(detail_of(missing) == "Buildpack not found");
  }
}

TEST_CASE("PATCH moves a buildpack, enables, disables and locks it", "[buildpacks]") {
  CcFixture cc;
  std::string a = create(cc, R"({"name": "a", "position": 1})");
  std::string b = create(cc, R"({"name": "b", "position": 2})");
  create(cc, R"({"name": "c", "position": 3})");
  std::string d = create(cc, R"({"name": "d", "position": 4})");

  REQUIRE(patch(cc, d, R"({"position": 1})").result() == StatusCode::ok);
  CHECK(order_of(cc) == std::vector<std::string>{"d@1", "a@2", "b@3", "c@4"});
  REQUIRE(patch(cc, d, R"({"position": 3})").result() == StatusCode::ok);
  CHECK(order_of(cc) == std::vector<std::string>{"a@1", "b@2", "d@3", "c@4"});
  auto last = patch(cc, a, R"({"position": 99})");
  REQUIRE(last.result() == StatusCode::ok);
  CHECK(body_of(last)["position"].GetInt64() == 4);
  CHECK(order_of(cc) == std::vector<std::string>{"b@1", "d@2", "c@3", "a@4"});

  auto off = body_of(patch(cc, b, R"({"enabled": false, "locked": true, "name": "bee"})"));
  CHECK_FALSE(off["enabled"].GetBool());
  CHECK(off["locked"].GetBool());
  CHECK(text(off["name"]) == "bee");
  CHECK(off["position"].GetInt64() == 1);
  auto on = body_of(patch(cc, b, R"({"enabled": true, "locked": false})"));
  CHECK(on["enabled"].GetBool());
  CHECK_FALSE(on["locked"].GetBool());

  // A stack can be given once, not changed.
  CHECK(text(body_of(patch(cc, b, R"({"stack": "cupolafs"})"))["stack"]) == "cupolafs");
  auto moved = patch(cc, b, R"({"stack": "other"})");
  CHECK(moved.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(moved) == "Buildpack stack cannot be changed");
  auto renamed = patch(cc, d, R"({"name": "a"})");
  CHECK(renamed.result() == StatusCode::unprocessable_entity);
  CHECK(detail_of(renamed) == "Buildpack with name 'a' and an unassigned stack already exists");
  auto zero = patch(cc, d, R"({"position": 0, "locked": null})");
  CHECK(detail_of(zero) == "Position must be greater than or equal to 1, Locked must be a boolean");
  CHECK(patch(cc, "nope", R"({"enabled": true})").result() == StatusCode::not_found);
  CHECK(order_of(cc) == std::vector<std::string>{"bee@1", "d@2", "c@3", "a@4"});
}

TEST_CASE("an uploaded zip is stored as a tgz and the buildpack becomes READY", "[buildpacks]") {
  CcFixture cc;
  std::string guid = create(cc, R"({"name": "static_buildpack"})");
  auto res = upload(cc, guid, bits_body(zip_of(detecting_zip())));
  INFO(res.body());
  REQUIRE(res.result() == StatusCode::accepted);
  auto bp = body_of(res);
  CHECK(text(bp["state"]) == "READY");
  CHECK(text(bp["filename"]) == "my-buildpack.zip");
  auto job = job_of(cc, res);
  CHECK(text(job["state"]) == "COMPLETE");
  CHECK(text(job["operation"]) == "buildpack.upload");
  CHECK(text(body_of(cc.get("/v3/buildpacks/" + guid, "admin"))["state"]) == "READY");

  std::string blob = blob_of(cc, guid);
  auto listing = tgz_listing(blob);
  REQUIRE(listing.count("bin/detect") == 1);
  CHECK(listing["bin/detect"].type == AE_IFREG);
  CHECK(listing["bin/detect"].perm == 0755);
  CHECK(listing["bin/detect"].content == "#!/bin/sh\necho static\n");
  CHECK(listing["README.md"].perm == 0644);
  auto staged = cc.run(cc::staging_buildpacks(cc.api(), "cupolafs"));
  REQUIRE(staged.ok());
  REQUIRE(staged->size() == 1);
  CHECK(staged->front().sha256 == sha256_of(blob));

  SECTION("files that are not buildpack zips are refused") {
    auto garbage = upload(cc, guid, bits_body("PK\x03\x04 not really a zip"));
    CHECK(garbage.result() == StatusCode::unprocessable_entity);
    CHECK(text(body_of(garbage)["errors"][0]["title"]) == "CF-BuildpackZipError");
    CHECK(detail_of(garbage).starts_with("Buildpack zip error: The app package is invalid"));
    auto text_file = upload(cc, guid, bits_body("hello", "notes.txt"));
    CHECK(detail_of(text_file) ==
          "Uploaded buildpack file is invalid: notes.txt is not a zip file. Buildpacks of "
          "lifecycle \"buildpack\" must be valid zip files.");
    auto empty = upload(cc, guid, bits_body("", "e.zip"));
    CHECK(detail_of(empty) ==
          "Uploaded buildpack file is invalid: e.zip is not a zip file. Buildpacks of lifecycle "
          "\"buildpack\" must be valid zip files., e.zip cannot be empty");
    auto nothing = upload(cc, guid,
                          "--" + kBoundary +
                              "\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--" +
                              kBoundary + "--\r\n");
    CHECK(detail_of(nothing) ==
          "Uploaded buildpack file is invalid: A buildpack zip file must be uploaded as 'bits'");
    CHECK(blob_of(cc, guid) == blob);  // the stored bits stay
  }

  SECTION("a locked buildpack refuses new bits") {
    REQUIRE(patch(cc, guid, R"({"locked": true})").result() == StatusCode::ok);
    auto locked = upload(cc, guid, bits_body(zip_of(detecting_zip().file("new", "x"))));
    CHECK(locked.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(locked) == "Buildpack is locked");
    CHECK(blob_of(cc, guid) == blob);
  }

  SECTION("the stack a manifest.yml names is the buildpack's") {
    std::string other = create(cc, R"({"name": "other_buildpack"})");
    auto with_stack =
        zip_of(detecting_zip().file("manifest.yml", "language: x\nstack: cupolafs\n"));
    auto stored = upload(cc, other, bits_body(with_stack));
    REQUIRE(stored.result() == StatusCode::accepted);
    CHECK(text(body_of(stored)["stack"]) == "cupolafs");
    std::string pinned = create(cc, R"({"name": "pinned_buildpack", "stack": "elsewhere"})");
    auto mismatch = upload(cc, pinned, bits_body(with_stack));
    CHECK(mismatch.result() == StatusCode::unprocessable_entity);
    CHECK(detail_of(mismatch) == "Uploaded buildpack stack (cupolafs) does not match elsewhere");
    auto broken = upload(cc, pinned, bits_body(zip_of(detecting_zip().file("manifest.yml", "[a"))));
    CHECK(detail_of(broken) == "Buildpack zip error: buildpack manifest is not valid");
    CHECK(text(body_of(cc.get("/v3/buildpacks/" + pinned, "admin"))["state"]) == "AWAITING_UPLOAD");
  }
}

TEST_CASE("non-admins read buildpacks but may not change them", "[buildpacks]") {
  CcFixture cc;
  cc.tokens.person("dev");
  cc.tokens.person("auditor");
  cc.tokens.callers["auditor"].admin_read_only = true;
  std::string guid = create(cc, R"({"name": "ruby_buildpack"})");
  std::string zip = zip_of(detecting_zip());
  for (const char* who : {"dev", "auditor"}) {
    INFO(who);
    CHECK(cc.get("/v3/buildpacks", who).result() == StatusCode::ok);
    CHECK(names_in(cc.get("/v3/buildpacks", who)) == std::vector<std::string>{"ruby_buildpack"});
    CHECK(cc.get("/v3/buildpacks/" + guid, who).result() == StatusCode::ok);
    std::vector<http::Response> writes;
    writes.push_back(cc.post("/v3/buildpacks", who, R"({"name": "mine"})"));
    writes.push_back(patch(cc, guid, R"({"position": 3})", who));
    writes.push_back(upload(cc, guid, bits_body(zip), who));
    writes.push_back(cc.del("/v3/buildpacks/" + guid, who));
    for (const auto& w : writes) {
      CHECK(w.result() == StatusCode::forbidden);
      CHECK(text(body_of(w)["errors"][0]["title"]) == "CF-NotAuthorized");
    }
  }
  CHECK(cc.get("/v3/buildpacks", "").result() == StatusCode::unauthorized);
  auto still = body_of(cc.get("/v3/buildpacks/" + guid, "admin"));
  CHECK(text(still["state"]) == "AWAITING_UPLOAD");
  CHECK(still["position"].GetInt64() == 1);
}

TEST_CASE("DELETE answers with a job, closes the gap and removes the bits", "[buildpacks]") {
  CcFixture cc;
  create(cc, R"({"name": "a", "position": 1})");
  std::string b = create(cc, R"({"name": "b", "position": 2})");
  create(cc, R"({"name": "c", "position": 3})");
  REQUIRE(upload(cc, b, bits_body(zip_of(detecting_zip()))).result() == StatusCode::accepted);
  auto blob = cc.api().blobs.exists(cc::buildpack_blob_key(b));
  REQUIRE((blob.ok() && *blob));

  auto res = cc.del("/v3/buildpacks/" + b, "admin");
  REQUIRE(res.result() == StatusCode::accepted);
  auto job = job_of(cc, res);
  CHECK(text(job["state"]) == "COMPLETE");
  CHECK(text(job["operation"]) == "buildpack.delete");
  CHECK(order_of(cc) == std::vector<std::string>{"a@1", "c@2"});
  auto gone = cc.api().blobs.exists(cc::buildpack_blob_key(b));
  REQUIRE(gone.ok());
  CHECK_FALSE(*gone);
  CHECK(cc.get("/v3/buildpacks/" + b, "admin").result() == StatusCode::not_found);
  CHECK(cc.del("/v3/buildpacks/" + b, "admin").result() == StatusCode::not_found);
  create(cc, R"({"name": "d", "position": 9})");
  CHECK(order_of(cc) == std::vector<std::string>{"a@1", "c@2", "d@3"});
}

TEST_CASE("staging detects with enabled, uploaded buildpacks of the stack", "[buildpacks]") {
  CcFixture cc;
  std::string zip = bits_body(zip_of(detecting_zip()));
  std::map<std::string, std::string> guids;
  for (const char* name : {"any", "ours", "theirs", "off", "empty", "first"}) {
    std::string stack = name == std::string("ours")     ? R"(, "stack": "cupolafs")"
                        : name == std::string("theirs") ? R"(, "stack": "elsewhere")"
                                                        : "";
    guids[name] = create(cc, std::string(R"({"name": ")") + name + "\"" + stack + "}");
    if (name != std::string("empty")) {
      REQUIRE(upload(cc, guids[name], zip).result() == StatusCode::accepted);
    }
  }
  REQUIRE(patch(cc, guids["off"], R"({"enabled": false})").result() == StatusCode::ok);
  CHECK(order_of(cc) ==
        std::vector<std::string>{"first@1", "empty@2", "off@3", "theirs@4", "ours@5", "any@6"});
  CHECK(staging_names(cc, "cupolafs") == std::vector<std::string>{"first", "ours", "any"});
  CHECK(staging_names(cc, "elsewhere") == std::vector<std::string>{"first", "theirs", "any"});
  REQUIRE(patch(cc, guids["any"], R"({"position": 1})").result() == StatusCode::ok);
  CHECK(staging_names(cc, "cupolafs") == std::vector<std::string>{"any", "first", "ours"});
}

TEST_CASE("the bundled buildpacks are installed once, after the others", "[buildpacks]") {
  CcFixture cc;
  cupola::testing::TempDir dir{"cc-bundled"};
  make_file(dir / "staticfile/bin/detect", "#!/bin/sh\necho staticfile\n", fs::perms(0755));
  make_file(dir / "staticfile/bin/compile", "#!/bin/sh\n", fs::perms(0755));
  make_file(dir / "staticfile/manifest.yml", "language: staticfile\n", fs::perms(0644));
  make_file(dir / "binary/bin/detect", "#!/bin/sh\n", fs::perms(0755));
  make_file(dir / "notes/README", "not a buildpack\n", fs::perms(0644));
  create(cc, R"({"name": "custom_buildpack"})");
  std::vector<std::string> expected;

  SECTION("alphabetically") {
    expected = {"custom_buildpack@1", "binary_buildpack@2", "staticfile_buildpack@3"};
  }
  SECTION("in the order order.txt gives") {
    make_file(dir / "order.txt", "# first\nstaticfile\n\nmissing\nbinary\n", fs::perms(0644));
    expected = {"custom_buildpack@1", "staticfile_buildpack@2", "binary_buildpack@3"};
  }
  auto installed = cc.run(cc::install_bundled_buildpacks(cc.api(), dir.path().string()));
  std::string why = installed.ok() ? "" : installed.error().message;
  INFO(why);
  REQUIRE(installed.ok());
  CHECK(order_of(cc) == expected);
  auto again = cc.run(cc::install_bundled_buildpacks(cc.api(), dir.path().string()));
  REQUIRE(again.ok());
  CHECK(order_of(cc) == expected);

  auto list = body_of(cc.get("/v3/buildpacks?names=staticfile_buildpack", "admin"));
  REQUIRE(list["resources"].Size() == 1);
  const auto& staticfile = list["resources"][0];
  CHECK(text(staticfile["state"]) == "READY");
  CHECK(staticfile["stack"].IsNull());
  std::string blob = blob_of(cc, text(staticfile["guid"]));
  auto listing = tgz_listing(blob);
  CHECK(listing["bin/detect"].perm == 0755);
  CHECK(listing["bin/detect"].content == "#!/bin/sh\necho staticfile\n");
  CHECK(listing["manifest.yml"].perm == 0644);
  auto staged = cc.run(cc::staging_buildpacks(cc.api(), "cupolafs"));
  REQUIRE(staged.ok());
  REQUIRE(staged->size() == 2);
  CHECK(staged->at(0).sha256 != std::nullopt);

  auto none = cc.run(cc::install_bundled_buildpacks(cc.api(), (dir / "absent").string()));
  CHECK(none.ok());
}
