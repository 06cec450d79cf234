// bench/staging: how long staging takes through the whole platform, per sample app.
//
// A private nats-server and Postgres, a cupola-bbs, a cupola-auctioneer, one cell (cupola-rep
// on runc, the cupolafs stack) and a cupola-cc that installs the bundled buildpacks. For each
// sample app of test/fixtures/apps: kColdRuns new apps each staged once (the first staging:
// an empty build cache), then kWarmRuns restages of the first of them (the build cache its
// earlier staging kept). Timed from POST /v3/builds to the build leaving STAGING, polled
// every 50 ms. Medians are printed; nothing fails on timing.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench/cell/bench_platform.h"
#include "bench/common/cc_client.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/cloud_controller/bits/zip_builder.h"

using namespace cupola;
using namespace std::chrono_literals;
namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

namespace {

constexpr int kColdRuns = 3;
constexpr int kWarmRuns = 3;
constexpr auto kStagingLimit = 300s;

struct Sample {
  std::string name;
  std::string lifecycle;  // the app's lifecycle JSON ("" detects)
};

std::string guid_of(const json::Document& d) { return d["guid"].GetString(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string multipart(const std::string& zip) {
  return "--b\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n[]\r\n"
         "--b\r\nContent-Disposition: form-data; name=\"bits\"; filename=\"app.zip\"\r\n"
         "Content-Type: application/zip\r\n\r\n" +
         zip + "\r\n--b--\r\n";
}

class Stager {
 public:
  Stager(bench::CcClient& cc, std::string token, std::string space, fs::path work)
      : cc_(cc), token_(std::move(token)), space_(std::move(space)), work_(std::move(work)) {}

  // A new app with SAMPLE's bits uploaded; its package guid.
  std::string new_package(const Sample& sample, int n) {
    std::string body = R"({"name": ")" + sample.name + "-" + std::to_string(n) +
                       R"(", "relationships": {"space": {"data": {"guid": ")" + space_ + R"("}}})" +
                       (sample.lifecycle.empty() ? "" : ", \"lifecycle\": " + sample.lifecycle) +
                       "}";
    std::string app = guid_of(cc_.json_of(bhttp::verb::post, "/v3/apps", token_, body));
    std::string package = guid_of(cc_.json_of(
        bhttp::verb::post, "/v3/packages", token_,
        R"({"type": "bits", "relationships": {"app": {"data": {"guid": ")" + app + R"("}}}})"));
    fs::path zip = work_ / (package + ".zip");
    cc::bits::testing::ZipBuilder()
        .tree(fs::path(CUPOLA_SOURCE_DIR) / "test/fixtures/apps" / sample.name)
        .write(zip);
    std::ifstream in(zip, std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    auto up = cc_.call(bhttp::verb::post, "/v3/packages/" + package + "/upload", token_,
                       multipart(bytes), "multipart/form-data; boundary=b");
    if (up.result_int() != 200) throw std::runtime_error("upload: " + up.body());
    return package;
  }

  // Stages PACKAGE; the seconds it took. Throws when staging fails or takes too long.
  double stage(const std::string& package) {
    auto t0 = std::chrono::steady_clock::now();
    std::string build = guid_of(cc_.json_of(bhttp::verb::post, "/v3/builds", token_,
                                            R"({"package": {"guid": ")" + package + R"("}})"));
    while (std::chrono::steady_clock::now() - t0 < kStagingLimit) {
      auto b = cc_.json_of(bhttp::verb::get, "/v3/builds/" + build, token_);
      std::string state = b["state"].GetString();
      if (state == "STAGED")
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (state == "FAILED")
        throw std::runtime_error("staging failed: " + std::string(b["error"].GetString()));
      std::this_thread::sleep_for(50ms);  // bounded by kStagingLimit
    }
    throw std::runtime_error("staging took longer than 300 s");
  }

 private:
  bench::CcClient& cc_;
  std::string token_, space_;
  fs::path work_;
};

}  // namespace

int main() {
  if (::geteuid() != 0) {
    std::printf("staging bench: needs root (runc); skipped\n");
    return 0;
  }
  try {
    bench::CellPlatform cell;
    auto& pg = testing::PostgresServer::shared();
    testing::TempDir dir{"staging-bench"};
    unsigned short port = testing::free_tcp_port();
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    testing::ComponentRunner cc(
        "cupola-cc", "cc",
        R"({"listen_address": "127.0.0.1:)" + std::to_string(port) + R"(", "database": ")" +
            pg.conninfo(pg.fresh_database("stagingbench")) + R"(", "nats_servers": [")" +
            cell.nats_url() + R"("], "api_url": ")" + url + R"(", "login_url": ")" + url +
            R"(", "uaa_url": ")" + url + R"(", "internal_url": ")" + url +
            R"(", "log_cache_url": "http://127.0.0.1:1", "log_cache_internal_url": )"
            R"("http://127.0.0.1:1", "token_signing_key_file": ")" +
            (dir.path() / "key.pem").string() + R"(", "bbs_url": "http://127.0.0.1:)" +
            std::to_string(cell.bbs_port()) + R"(", "internal_secret_file": ")" +
            (dir.path() / "secret").string() + R"(", "blobstore_dir": ")" +
            (dir.path() / "blobs").string() +
            R"(", "buildpacks_dir": ")" CUPOLA_SOURCE_DIR
            R"(/buildpacks", "admin_username": "admin", "admin_password": "bench-secret-1"})");
    cc.start(60s);
    bench::CcClient client(port);
    std::string admin = client.login("admin", "bench-secret-1");
    std::string org = guid_of(
        client.json_of(bhttp::verb::post, "/v3/organizations", admin, R"({"name": "bench"})"));
    std::string space = guid_of(client.json_of(
        bhttp::verb::post, "/v3/spaces", admin,
        R"({"name": "staging", "relationships": {"organization": {"data": {"guid": ")" + org +
            R"("}}}})"));
    Stager stager(client, admin, space, dir.path());

    std::vector<Sample> samples = {
        {"static", ""},
        {"binary", R"({"type": "buildpack", "data": {"buildpacks": ["binary_buildpack"]}})"},
        {"ruby", ""},
        {"node", ""},
        {"python", ""}};
    if (fs::exists(fs::path(CUPOLA_SOURCE_DIR) / "buildpacks/go")) samples.push_back({"go", ""});

    std::printf("staging bench: %d first stagings and %d restages of each sample app, one cell\n",
                kColdRuns, kWarmRuns);
    std::printf("%-8s %14s %14s %8s\n", "sample", "first (s)", "restage (s)", "ratio");
    for (const auto& s : samples) {
      std::vector<double> cold, warm;
      std::string first;
      for (int i = 0; i < kColdRuns; ++i) {
        std::string package = stager.new_package(s, i);
        if (i == 0) first = package;
        cold.push_back(stager.stage(package));
      }
      for (int i = 0; i < kWarmRuns; ++i) warm.push_back(stager.stage(first));
      double c = median(cold), w = median(warm);
      std::printf("%-8s %14.2f %14.2f %8.2f\n", s.name.c_str(), c, w, w / c);
      std::printf(
          "BENCH name=staging case=%s first_s=%.3f restage_s=%.3f restage_over_first=%.3f\n",
          s.name.c_str(), c, w, w / c);
      std::fflush(stdout);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "staging bench: %s\n", e.what());
    return 1;
  }
}
