#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"

namespace cupola::pg_broker {

// The Postgres server the broker provisions on. Every call is idempotent: repeating it after
// a failure or a crash finishes the job, and undoing what is already gone succeeds. Names
// come from names.h. Calls run on the broker's executor; failures are BrokerErrc::TargetFailed
// with the server's message (never a password).
class TargetServer {
 public:
  virtual ~TargetServer() = default;

  // The owner role `database` (NOLOGIN) and the database of that name owned by it, which
  // no other role may connect to. `connection_limit` -1 means none.
  virtual boost::asio::awaitable<Status> create_database(std::string database,
                                                         int connection_limit) = 0;
  virtual boost::asio::awaitable<Status> set_connection_limit(std::string database,
                                                              int connection_limit) = 0;
  // Ends every session on the database, drops it, its bindings' roles and its owner role.
  virtual boost::asio::awaitable<Status> drop_database(std::string database) = 0;

  // A login role with this password, a member of the database's owner role whose sessions
  // in the database act as the owner, so that what any binding creates belongs to the
  // instance. An existing role gets the password again.
  virtual boost::asio::awaitable<Status> create_user(std::string database, std::string username,
                                                     std::string password) = 0;
  // Stops the role from logging in, ends its sessions, hands anything it owns in the
  // database to the owner role, and drops it.
  virtual boost::asio::awaitable<Status> drop_user(std::string database, std::string username) = 0;
};

}  // namespace cupola::pg_broker
