#include "service_broker/src/config.h"

#include <fstream>
#include <set>

#include "common/config/config.h"

namespace cupola::pg_broker {

void PlanConfig::read(json::ObjectReader& r) {
  r.required("id", id);
  r.required("name", name);
  r.required("description", description);
  r.optional("connection_limit", connection_limit);
  r.optional("free", free);
}

void ServiceConfig::read(json::ObjectReader& r) {
  r.optional("id", id);
  r.optional("name", name);
  r.optional("description", description);
  r.optional("tags", tags);
}

void TargetConfig::read(json::ObjectReader& r) {
  r.optional("conninfo", conninfo);
  r.optional("hostname", hostname);
  r.optional("port", port);
  r.optional("connect_timeout", connect_timeout);
}

std::vector<PlanConfig> BrokerConfig::default_plans() {
  return {
      {"2f6e8f4c-1b7d-4c3a-9e55-0d8a6b1c7e11", "small",
       "A database on a shared server, up to 10 connections", 10, true},
      {"7c1d9a3e-5f2b-4e8d-a6c4-3b9e0f2d8a22", "medium",
       "A database on a shared server, up to 25 connections", 25, true},
      {"c4a8e2d6-9b3f-4a1e-8d7c-5e6f1a0b9c33", "large",
       "A database on a shared server, up to 100 connections", 100, true},
  };
}

void BrokerConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("nats_servers", nats_servers);
  r.optional("database", database);
  r.optional("database_max_connections", database_max_connections);
  r.optional("startup_timeout", startup_timeout);
  auto t = r.object("target");
  target.read(t);
  r.optional("username", username);
  r.optional("password", password);
  r.optional("password_file", password_file);
  auto s = r.object("service");
  service.read(s);
  if (const json::Value* v = r.find("plans"); v && !v->IsNull()) {
    if (!v->IsArray()) {
      r.problem("plans", "expected an array of plan objects");
    } else {
      plans.clear();
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
        json::ObjectReader plan((*v)[i], r.path_of("plans") + "[" + std::to_string(i) + "]", r);
        PlanConfig p;
        p.read(plan);
        plans.push_back(std::move(p));
      }
    }
  }
  r.optional("async_provision", async_provision);
  r.optional("max_body_bytes", max_body_bytes);
}

void BrokerConfig::validate(std::vector<std::string>& problems) const {
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_nats_servers(problems, nats_servers);
  if (database.empty()) problems.push_back("database: is required (a libpq conninfo string)");
  if (database_max_connections < 1) {
    problems.push_back("database_max_connections: must be at least 1");
  }
  if (target.conninfo.empty()) {
    problems.push_back(
        "target.conninfo: is required (a libpq conninfo string of a role with CREATEDB and "
        "CREATEROLE)");
  }
  if (target.hostname.empty()) problems.push_back("target.hostname: must not be empty");
  if (target.port < 1 || target.port > 65535) {
    problems.push_back("target.port: must be a number from 1 to 65535");
  }
  if (target.connect_timeout < std::chrono::milliseconds(100)) {
    problems.push_back("target.connect_timeout: must be at least 100ms");
  }
  if (username.empty()) problems.push_back("username: is required (basic auth for the platform)");
  if (username.find(':') != std::string::npos) {
    problems.push_back("username: must not contain ':'");
  }
  if (password.empty() && password_file.empty()) {
    problems.push_back("password: set password or password_file");
  }
  if (!password.empty() && !password_file.empty()) {
    problems.push_back("password_file: set either password or password_file, not both");
  }
  if (service.id.empty()) problems.push_back("service.id: must not be empty");
  if (service.name.empty()) problems.push_back("service.name: must not be empty");
  if (service.description.empty()) problems.push_back("service.description: must not be empty");
  if (plans.empty()) problems.push_back("plans: name at least one plan");
  std::set<std::string> ids{service.id};
  std::set<std::string> names;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const auto& p = plans[i];
    std::string where = "plans[" + std::to_string(i) + "]";
    if (p.id.empty() || p.name.empty() || p.description.empty()) {
      problems.push_back(where + ": id, name and description must not be empty");
    }
    if (!p.id.empty() && !ids.insert(p.id).second) {
      problems.push_back(where + ".id: \"" + p.id + "\" is used twice");
    }
    if (!p.name.empty() && !names.insert(p.name).second) {
      problems.push_back(where + ".name: \"" + p.name + "\" is used twice");
    }
    if (p.connection_limit < -1 || p.connection_limit == 0) {
      problems.push_back(where + ".connection_limit: must be at least 1, or -1 for no limit");
    }
  }
  if (max_body_bytes < 1024) problems.push_back("max_body_bytes: must be at least 1024");
}

Result<std::string> load_password(const BrokerConfig& c) {
  if (!c.password.empty()) return c.password;
  std::ifstream in(c.password_file);
  if (!in) {
    return make_error(Errc::NotFound, "password_file: cannot read " + c.password_file);
  }
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return make_error(Errc::InvalidArgument, "password_file: the first line is empty");
  }
  return line;
}

}  // namespace cupola::pg_broker
