#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::pg_broker {

// One plan of the catalog: a size of database.
struct PlanConfig {
  std::string id;
  std::string name;
  std::string description;
  // Connections the plan's databases accept (CREATE DATABASE ... CONNECTION LIMIT); -1: no
  // limit.
  int connection_limit = 10;
  bool free = true;

  void read(json::ObjectReader& r);
};

// The one service offering the broker lists in its catalog.
struct ServiceConfig {
  std::string id = "5a4ed5b2-4f5a-4f0e-9a2c-6f1b3c8d9e01";
  std::string name = "postgresql";
  std::string description = "A PostgreSQL database of your own";
  std::vector<std::string> tags{"postgresql", "relational"};

  void read(json::ObjectReader& r);
};

// The Postgres server the broker creates databases and roles in.
struct TargetConfig {
  // libpq conninfo of a role with CREATEDB and CREATEROLE (keyword/value or postgres:// URI).
  std::string conninfo;
  // What bindings hand out to applications for reaching that server.
  std::string hostname = "127.0.0.1";
  int port = 5432;
  std::chrono::milliseconds connect_timeout{10'000};

  void read(json::ObjectReader& r);
};

// cupola-pg-broker's configuration file.
struct BrokerConfig {
  std::string listen_address = "127.0.0.1:8090";
  std::string log_level = "info";
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  // libpq conninfo of the broker's own state database.
  std::string database;
  int database_max_connections = 4;
  std::chrono::milliseconds startup_timeout{60'000};  // for Postgres to answer
  TargetConfig target;
  // HTTP basic auth every platform request must carry. The password comes from `password`
  // or, when that is empty, from the first line of `password_file`.
  std::string username;
  std::string password;
  std::string password_file;
  ServiceConfig service;
  std::vector<PlanConfig> plans = default_plans();
  // true: provision, update and deprovision work in the background and answer 202 (the
  // platform must send accepts_incomplete=true); false: they finish before the answer.
  bool async_provision = true;
  std::size_t max_body_bytes = 64 * 1024;

  static std::vector<PlanConfig> default_plans();

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

// The basic auth password: `password`, or the first line of `password_file` (without its
// line ending). Errc::NotFound when the file cannot be read, Errc::InvalidArgument when its
// first line is empty.
Result<std::string> load_password(const BrokerConfig& c);

}  // namespace cupola::pg_broker
