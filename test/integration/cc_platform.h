#pragma once

// A Cloud Controller process for integration tests, wired to a real BBS and log store, and
// what tests send it: tokens, JSON calls, package uploads.

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "common/json/json.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"
#include "test/integration/rep_fixture.h"

namespace cupola::test {

using http::test::BlockingClient;
namespace fs = std::filesystem;

inline std::string auctioneer_config(unsigned short port, const BbsProcess& bbs,
                                     const testing::NatsServer& nats) {
  return R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
         R"(", "bbs_url": "http://127.0.0.1:)" + std::to_string(bbs.port()) +
         R"(", "nats_servers": [")" + nats.url() +
         R"("], "batch_window": "50ms", "rep_timeout": "2s", "startup_timeout": "20s"})";
}

struct Cc {
  unsigned short port = testing::free_tcp_port();
  testing::TempDir dir{"cc-diego"};
  std::unique_ptr<testing::ComponentRunner> runner;

  // `extra`: more config members.
  Cc(const testing::NatsServer& nats, const BbsProcess& bbs, unsigned short logstore_port,
     const std::string& extra = "") {
    auto& pg = testing::PostgresServer::shared();
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    std::string config = R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
                         R"(", "database": ")" + pg.conninfo(pg.fresh_database("ccdb")) +
                         R"(", "nats_servers": [")" + nats.url() + R"("], "api_url": ")" + url +
                         R"(", "login_url": ")" + url + R"(", "uaa_url": ")" + url +
                         R"(", "log_cache_url": "http://127.0.0.1:1", "log_cache_internal_url": )"
                         R"("http://127.0.0.1:)" +
                         std::to_string(logstore_port) + R"(", "bbs_url": "http://127.0.0.1:)" +
                         std::to_string(bbs.port()) + R"(", "internal_url": ")" + url +
                         R"(", "token_signing_key_file": ")" + (dir.path() / "key.pem").string() +
                         R"(", "internal_secret_file": ")" + (dir.path() / "secret").string() +
                         R"(", "blobstore_dir": ")" + (dir.path() / "blobs").string() +
                         R"(", "bulk_sync_interval": "3s", "admin_username": "admin",
           "admin_password": "admin-secret-1")" +
                         (extra.empty() ? std::string() : ", " + extra) + "}";
    runner = std::make_unique<testing::ComponentRunner>("cupola-cc", "cc", config);
    runner->start(60s);
  }

  http::Response call(http::Verb verb, const std::string& target, const std::string& token,
                      std::string body = "", const std::string& type = "application/json") {
    BlockingClient client(port);
    http::Request req{verb, target, 11};
    if (!token.empty()) req.set(http::bhttp::field::authorization, "bearer " + token);
    if (!body.empty()) {
      req.set(http::bhttp::field::content_type, type);
      req.body() = std::move(body);
      req.prepare_payload();
    }
    return client.request(std::move(req));
  }
  json::Document json_of(http::Verb verb, const std::string& target, const std::string& token,
                         std::string body = "") {
    auto res = call(verb, target, token, std::move(body));
    INFO(target << " → " << res.result_int() << " " << res.body());
    REQUIRE(res.result_int() < 300);
    auto doc = json::parse(res.body());
    REQUIRE(doc.ok());
    return std::move(*doc);
  }
  std::string admin_token() {
    BlockingClient client(port);
    http::Request req{http::Verb::post, "/oauth/token", 11};
    req.set(http::bhttp::field::authorization, "Basic Y2Y6");  // "cf:"
    req.set(http::bhttp::field::content_type, "application/x-www-form-urlencoded");
    req.body() = "grant_type=password&username=admin&password=admin-secret-1";
    req.prepare_payload();
    auto res = client.request(std::move(req));
    REQUIRE(res.result() == http::StatusCode::ok);
    auto doc = json::parse(res.body());
    REQUIRE(doc.ok());
    return (*doc)["access_token"].GetString();
  }
};

inline std::string guid_of(const json::Document& d) { return d["guid"].GetString(); }

// A multipart upload of a zip, as the cf CLI sends it.
inline std::string upload_body(const std::string& zip, const std::string& boundary) {
  return "--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n[]\r\n--" + boundary +
         "\r\nContent-Disposition: form-data; name=\"bits\"; filename=\"package.zip\"\r\n"
         "Content-Type: application/octet-stream\r\n\r\n" +
         zip + "\r\n--" + boundary + "--\r\n";
}

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace cupola::test
