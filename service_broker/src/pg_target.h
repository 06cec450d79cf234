#pragma once

#include <chrono>
#include <string>

#include "common/log/log.h"
#include "common/pg/pool.h"
#include "service_broker/src/target.h"

namespace cupola::pg_broker {

// TargetServer on a real Postgres, through a role with CREATEDB and CREATEROLE (or a
// superuser). That role makes itself a member of every role it creates, which Postgres asks
// of whoever creates a database owned by another role, ends that role's sessions or hands
// its objects over. Passwords reach the server only as SCRAM-SHA-256 verifiers.
// Runs on `ex` (the broker's single-threaded executor).
class PgTargetServer final : public TargetServer {
 public:
  PgTargetServer(boost::asio::any_io_executor ex, std::string conninfo,
                 std::chrono::milliseconds connect_timeout, log::Logger log);

  // TargetServer
  boost::asio::awaitable<Status> create_database(std::string database,
                                                 int connection_limit) override;
  boost::asio::awaitable<Status> set_connection_limit(std::string database,
                                                      int connection_limit) override;
  boost::asio::awaitable<Status> drop_database(std::string database) override;
  boost::asio::awaitable<Status> create_user(std::string database, std::string username,
                                             std::string password) override;
  boost::asio::awaitable<Status> drop_user(std::string database, std::string username) override;

 private:
  // Hands the role's objects in `database` to the owner role and drops its privileges there,
  // on a connection to that database.
  boost::asio::awaitable<Status> disown(std::string database, std::string username);

  boost::asio::any_io_executor ex_;
  std::string conninfo_;
  std::chrono::milliseconds connect_timeout_;
  log::Logger log_;
  pg::Pool pool_;
};

}  // namespace cupola::pg_broker
