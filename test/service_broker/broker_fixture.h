#pragma once

// A real cupola-pg-broker process for tests, on the private Postgres cluster: the broker's
// own database is a fresh one per process; the target is the same cluster, reached as a
// role with CREATEDB and CREATEROLE only. The cluster's pg_hba.conf is made to ask the
// bindings' roles for their passwords (SCRAM), so that credentials are really checked.

#include <libpq-fe.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/core/base64.h"
#include "common/json/json.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/server_fixture.h"

namespace cupola::pg_broker::test {

using namespace std::chrono_literals;

constexpr const char* kAdminRole = "cupola_broker_admin";
constexpr const char* kUser = "platform";
constexpr const char* kPassword = "broker-secret-1";
// The default catalog's ids (config.cpp).
constexpr const char* kServiceId = "5a4ed5b2-4f5a-4f0e-9a2c-6f1b3c8d9e01";
constexpr const char* kSmall = "2f6e8f4c-1b7d-4c3a-9e55-0d8a6b1c7e11";
constexpr const char* kMedium = "7c1d9a3e-5f2b-4e8d-a6c4-3b9e0f2d8a22";
constexpr const char* kLarge = "c4a8e2d6-9b3f-4a1e-8d7c-5e6f1a0b9c33";

// One libpq session, for looking at the target server the way an application would.
class Sql {
 public:
  explicit Sql(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {}
  ~Sql() { PQfinish(conn_); }
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;

  bool connected() const { return PQstatus(conn_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(conn_); }
  // Rows of text (NULL as ""), or the error message.
  struct Outcome {
    bool ok = false;
    std::vector<std::vector<std::string>> rows;
    std::string error;
  };
  Outcome run(const std::string& sql) {
    Outcome out;
    PGresult* res = PQexec(conn_, sql.c_str());
    auto status = PQresultStatus(res);
    out.ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (!out.ok) out.error = PQerrorMessage(conn_);
    for (int r = 0; out.ok && r < PQntuples(res); ++r) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(res); ++c) row.emplace_back(PQgetvalue(res, r, c));
      out.rows.push_back(std::move(row));
    }
    PQclear(res);
    return out;
  }
  // The first column of the first row ("" when there is none); fails the test on an error.
  std::string value(const std::string& sql) {
    auto o = run(sql);
    INFO(sql << ": " << o.error);
    REQUIRE(o.ok);
    return o.rows.empty() ? "" : o.rows[0][0];
  }

 private:
  PGconn* conn_;
};

// The shared private cluster, prepared once per test binary.
inline testing::PostgresServer& target_cluster() {
  static bool prepared = false;
  auto& pg = testing::PostgresServer::shared();
  if (prepared) return pg;
  Sql super(pg.conninfo());
  REQUIRE(super.connected());
  super.value(std::string("CREATE ROLE ") + kAdminRole + " LOGIN CREATEDB CREATEROLE");
  // Bindings log in to their own database ("samerole": the database and its owner role
  // share a name) with a password; the superuser and the broker's role keep trust.
  std::string hba = super.value("SHOW hba_file");
  std::string rules =
      "host all cupola 127.0.0.1/32 trust\n"
      "host all " +
      std::string(kAdminRole) +
      " 127.0.0.1/32 trust\n"
      "host samerole all 127.0.0.1/32 scram-sha-256\n";
  std::string current = testing::read_file(hba);
  REQUIRE(!current.empty());
  {
    std::ofstream out(hba, std::ios::trunc);
    out << rules << current;
  }
  super.value("SELECT pg_reload_conf()");
  prepared = true;
  return pg;
}

inline std::string admin_conninfo(testing::PostgresServer& pg) {
  return "host=127.0.0.1 port=" + std::to_string(pg.port()) + " user=" + kAdminRole +
         " dbname=postgres";
}

struct Call {
  bool auth = true;
  std::string password = kPassword;
  std::string version = "2.17";
  std::string identity;  // X-Broker-API-Originating-Identity
};

inline json::Document body_of(const http::Response& res) {
  auto doc = json::parse(res.body());
  INFO("body: " << res.body());
  REQUIRE(doc.ok());
  return std::move(*doc);
}

// One broker process. `target` is the conninfo it provisions on.
class BrokerProcess {
 public:
  BrokerProcess(const testing::NatsServer& nats, std::string state_conninfo, std::string target,
                bool async, std::string extra = "")
      : port_(testing::free_tcp_port()) {
    auto& pg = testing::PostgresServer::shared();
    config_ = R"({"listen_address": "127.0.0.1:)" + std::to_string(port_) +
              R"(", "nats_servers": [")" + nats.url() + R"("], "database": ")" + state_conninfo +
              R"(", "target": {"conninfo": ")" + target +
              R"(", "hostname": "127.0.0.1", "port": )" + std::to_string(pg.port()) +
              R"(, "connect_timeout": "3s"}, "username": ")" + kUser + R"(", "password": ")" +
              kPassword + R"(", "async_provision": )" + (async ? "true" : "false") + extra + "}";
    start();
  }
  void start() {
    runner_ = std::make_unique<testing::ComponentRunner>("cupola-pg-broker", "pg-broker", config_);
    runner_->start(30s);
  }
  testing::ComponentRunner& runner() { return *runner_; }
  unsigned short port() const { return port_; }

  http::Response call(http::Verb verb, const std::string& target, const std::string& body = "",
                      const Call& c = {}) {
    http::test::BlockingClient client(port_);
    http::Request req{verb, target, 11};
    if (c.auth) {
      req.set(http::bhttp::field::authorization,
              "Basic " + base64_encode(std::string(kUser) + ":" + c.password));
    }
    if (!c.version.empty()) req.set("X-Broker-API-Version", c.version);
    if (!c.identity.empty()) req.set("X-Broker-API-Originating-Identity", c.identity);
    if (!body.empty()) {
      req.set(http::bhttp::field::content_type, "application/json");
      req.body() = body;
    }
    return client.request(std::move(req));
  }

  // Polls last_operation (as a platform does) until the state is no longer "in progress";
  // returns the last answer.
  http::Response poll(const std::string& instance, const std::string& operation = "") {
    std::string target = "/v2/service_instances/" + instance + "/last_operation";
    if (!operation.empty()) target += "?operation=" + operation;
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (true) {
      auto res = call(http::Verb::get, target);
      if (res.result() != http::StatusCode::ok) return res;
      auto doc = body_of(res);
      if (std::string(doc["state"].GetString()) != "in progress" ||
          std::chrono::steady_clock::now() > deadline) {
        return res;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

 private:
  unsigned short port_;
  std::string config_;
  std::unique_ptr<testing::ComponentRunner> runner_;
};

// The body of a provision request; `extra` is appended inside the object.
inline std::string provision_body(const std::string& plan = kSmall, const std::string& extra = "") {
  return R"({"service_id": ")" + std::string(kServiceId) + R"(", "plan_id": ")" + plan +
         R"(", "organization_guid": "org-guid-here", "space_guid": "space-guid-here",
            "context": {"platform": "cloudfoundry"})" +
         extra + "}";
}

inline std::string bind_body(const std::string& plan = kSmall, const std::string& app = "app-1") {
  return R"({"service_id": ")" + std::string(kServiceId) + R"(", "plan_id": ")" + plan +
         R"(", "bind_resource": {"app_guid": ")" + app + R"("}})";
}

inline std::string state_of(const http::Response& res) { return body_of(res)["state"].GetString(); }

}  // namespace cupola::pg_broker::test
