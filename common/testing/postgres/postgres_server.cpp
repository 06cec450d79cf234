#include "common/testing/postgres/postgres_server.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cupola::testing {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

std::string command_output(const char* command) {
  std::string out;
  FILE* pipe = ::popen(command, "r");
  if (!pipe) return out;
  std::array<char, 512> buf;
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe)) out += buf.data();
  ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool has_server(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::exists(dir / "initdb", ec) && fs::exists(dir / "postgres", ec);
}

// Numeric comparison so that 15 sorts after 9.6.
bool newer_version(const fs::path& a, const fs::path& b) {
  auto num = [](const fs::path& p) { return std::atof(p.parent_path().filename().c_str()); };
  return num(a) > num(b);
}

void chown_to(const fs::path& path, std::optional<uid_t> uid, std::optional<gid_t> gid) {
  if (!uid) return;
  if (::chown(path.c_str(), *uid, gid.value_or(static_cast<gid_t>(-1))) != 0) {
    throw std::runtime_error("chown " + path.string() + " failed");
  }
}

}  // namespace

fs::path postgres_bindir() {
  fs::path configured = command_output("pg_config --bindir 2>/dev/null");
  if (has_server(configured)) return configured;
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (has_server(entry.path() / "bin")) found.push_back(entry.path() / "bin");
  }
  if (found.empty()) {
    throw std::runtime_error("no Postgres server binaries (initdb, postgres) found");
  }
  std::sort(found.begin(), found.end(), newer_version);
  return found.front();
}

PostgresServer::PostgresServer()
    : dir_("cupola-pg"),
      bindir_(postgres_bindir()),
      data_dir_(dir_ / "data"),
      socket_dir_(dir_ / "sock"),
      port_(free_tcp_port()) {
  if (::geteuid() == 0) {
    // initdb and postgres refuse to run as root.
    const passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root but there is no 'postgres' user");
    uid_ = pw->pw_uid;
    gid_ = pw->pw_gid;
  }
  fs::create_directories(socket_dir_);
  chown_to(dir_.path(), uid_, gid_);
  chown_to(socket_dir_, uid_, gid_);

  Process initdb(options_for((bindir_ / "initdb").string(),
                             {"-D", data_dir_.string(), "-A", "trust", "-U", "cupola", "-E", "UTF8",
                              "--no-locale", "--no-sync"}));
  auto status = initdb.wait(120s);
  if (status != 0) {
    throw std::runtime_error("initdb failed (status " + std::to_string(status.value_or(-1)) +
                             "):\n" + initdb.output());
  }
  start();
}

PostgresServer::~PostgresServer() {
  try {
    stop();
  } catch (const std::exception&) {
    // The Process destructor still kills it.
  }
}

PostgresServer& PostgresServer::shared() {
  static PostgresServer server;
  return server;
}

ProcessOptions PostgresServer::options_for(std::string path, std::vector<std::string> args) const {
  ProcessOptions o;
  o.path = std::move(path);
  o.args = std::move(args);
  o.working_dir = dir_.path().string();
  o.uid = uid_;
  o.gid = gid_;
  o.env = {{"LC_ALL", "C"}, {"PGTZ", "UTC"}};
  return o;
}

std::string PostgresServer::conninfo(std::string_view dbname) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=cupola dbname=" + std::string(dbname);
}

void PostgresServer::start() {
  if (process_) return;
  process_ = std::make_unique<Process>(options_for(
      (bindir_ / "postgres").string(),
      {"-D", data_dir_.string(), "-k", socket_dir_.string(), "-p", std::to_string(port_), "-c",
       "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off", "-c",
       "synchronous_commit=off", "-c", "max_connections=200"}));
  bool ready = process_->wait_for_line(
      [](std::string_view line) {
        return line.find("database system is ready to accept connections") !=
               std::string_view::npos;
      },
      60s);
  // The log line comes just before the postmaster accepts; confirm with a ping.
  bool pinged = false;
  for (int i = 0; ready && i < 200 && !pinged; ++i) {
    pinged = PQping(conninfo().c_str()) == PQPING_OK;
    if (!pinged) std::this_thread::sleep_for(25ms);
  }
  if (!pinged) {
    std::string output = process_->output();
    process_.reset();
    throw std::runtime_error("postgres did not become ready:\n" + output);
  }
}

void PostgresServer::stop() {
  if (!process_) return;
  // SIGINT is Postgres's fast shutdown: it disconnects clients instead of waiting.
  process_->signal(SIGINT);
  if (!process_->wait(60s)) process_->stop(1s);
  process_.reset();
}

void PostgresServer::create_database(std::string_view name) {
  bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!valid) throw std::invalid_argument("invalid database name");
  PGconn* conn = PQconnectdb(conninfo().c_str());
  // Identifiers cannot be parameters; the name was restricted above.
  std::string sql = "CREATE DATABASE " + std::string(name);
  PGresult* res = PQstatus(conn) == CONNECTION_OK ? PQexec(conn, sql.c_str()) : nullptr;
  bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string error = PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  if (!ok) throw std::runtime_error("create database " + std::string(name) + ": " + error);
}

std::string PostgresServer::fresh_database(std::string_view prefix) {
  std::string name = std::string(prefix) + "_" + std::to_string(++databases_);
  create_database(name);
  return name;
}

}  // namespace cupola::testing
