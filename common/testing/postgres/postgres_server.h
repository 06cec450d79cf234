#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "common/testing/process.h"
#include "common/testing/temp_dir.h"

namespace cupola::testing {

// A private Postgres cluster for tests: initdb into a temporary directory (trust
// authentication, superuser "cupola", UTF8), then postgres listening on 127.0.0.1 at a
// free port and on a private socket directory. As root, both run as the "postgres"
// system user. The destructor stops the server and removes the directory.
// Methods throw std::runtime_error with the server's output when something fails.
// Not thread-safe. Construct and start() it from a thread that outlives the server
// (the test's main thread): the server process gets SIGTERM when the thread that
// started it exits.
class PostgresServer {
 public:
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // One server shared by the tests of a binary, started on first use. Tests that stop
  // it must start their own instead.
  static PostgresServer& shared();

  unsigned short port() const { return port_; }
  // "host=127.0.0.1 port=N user=cupola dbname=<dbname>".
  std::string conninfo(std::string_view dbname = "postgres") const;
  // Creates an empty database; `name` must be [a-z0-9_]+.
  void create_database(std::string_view name);
  // A newly created database with a unique name ("<prefix>_<n>"), for test isolation.
  std::string fresh_database(std::string_view prefix = "test");

  // Fast shutdown (clients are disconnected); then start() again on the same port and
  // data directory. Both wait until the server is down or accepting connections.
  void stop();
  void start();
  bool running() const { return process_ != nullptr; }

 private:
  ProcessOptions options_for(std::string path, std::vector<std::string> args) const;

  TempDir dir_;
  std::filesystem::path bindir_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  unsigned short port_ = 0;
  std::optional<uid_t> uid_;
  std::optional<gid_t> gid_;
  std::unique_ptr<Process> process_;
  int databases_ = 0;
};

// The directory holding initdb and postgres: `pg_config --bindir` when it has them,
// otherwise the newest /usr/lib/postgresql/<version>/bin. Throws when there is none.
std::filesystem::path postgres_bindir();

}  // namespace cupola::testing
