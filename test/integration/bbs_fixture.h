#pragma once

// A real cupola-bbs on a private Postgres database and nats-server, and a blocking client.

#include <string>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include "common/json/json.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "test/common/http/server_fixture.h"

namespace cupola::test {

// The port a server binary logged in its "<source>.http.listening" line.
inline unsigned short logged_port(testing::Process& p, const std::string& source) {
  unsigned short port = 0;
  p.wait_for_line(
      [&](std::string_view line) {
        auto doc = json::parse(line);
        if (!doc || !doc->IsObject() || !doc->HasMember("message")) return false;
        if (std::string_view((*doc)["message"].GetString()) != source + ".http.listening") {
          return false;
        }
        port = static_cast<unsigned short>((*doc)["data"]["port"].GetInt());
        return true;
      },
      std::chrono::seconds(5));
  return port;
}

class BbsProcess {
 public:
  // A fresh database on the shared Postgres; `extra` adds config fields (JSON members).
  BbsProcess(testing::NatsServer& nats, std::string extra = "")
      : database_(testing::PostgresServer::shared().fresh_database("bbs")),
        config_(R"({"listen_address": "127.0.0.1:0", "database": ")" +
                testing::PostgresServer::shared().conninfo(database_) + R"(", "nats_servers": [")" +
                nats.url() + R"("], "startup_timeout": "20s")" +
                (extra.empty() ? "" : ", " + extra) + "}") {
    start();
  }

  void start() {
    runner_ = std::make_unique<testing::ComponentRunner>("cupola-bbs", "bbs", config_);
    runner_->start();
    port_ = logged_port(runner_->process(), "bbs");
  }
  void kill() { runner_->kill(); }
  int stop() { return runner_->stop(); }

  unsigned short port() const { return port_; }
  testing::Process& process() { return runner_->process(); }

  // POSTs a JSON body and returns the response.
  http::Response post(const std::string& path, const std::string& body) {
    http::test::BlockingClient client(port_);
    http::Request req{http::Verb::post, path, 11};
    req.set(http::bhttp::field::content_type, "application/json");
    req.body() = body;
    return client.request(std::move(req));
  }
  json::Document post_json(const std::string& path, const std::string& body) {
    auto res = post(path, body);
    auto doc = json::parse(res.body());
    if (!doc) throw std::runtime_error("not JSON: " + res.body());
    return std::move(doc).value();
  }

 private:
  std::string database_;
  std::string config_;
  std::unique_ptr<testing::ComponentRunner> runner_;
  unsigned short port_ = 0;
};

inline std::string desired_lrp_json(const std::string& guid, int instances) {
  return R"({"desired_lrp": {"process_guid": ")" + guid +
         R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
         std::to_string(instances) +
         R"(, "memory_mb": 128, "action": {"run": {"path": "/tmp/lifecycle/launcher"}}}})";
}

}  // namespace cupola::test
