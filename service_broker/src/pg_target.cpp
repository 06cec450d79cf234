#include "service_broker/src/pg_target.h"

#include "common/pg/error.h"
#include "service_broker/src/errors.h"
#include "service_broker/src/names.h"
#include "service_broker/src/secrets.h"

namespace cupola::pg_broker {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kDuplicateObject = "42710";
constexpr std::string_view kDuplicateDatabase = "42P04";
constexpr std::string_view kDependentObjects = "2BP01";

Error failed(std::string_view what, const Error& e) {
  return broker_error(BrokerErrc::TargetFailed, std::string(what) + ": " + e.message);
}

std::string limit_clause(int connection_limit) {
  return " CONNECTION LIMIT " + std::to_string(connection_limit < 0 ? -1 : connection_limit);
}

// Runs one statement; an error whose SQLSTATE is `tolerated` counts as success.
asio::awaitable<Status> exec(pg::Connection& conn, std::string sql, std::string_view what,
                             std::string_view tolerated = {}) {
  auto r = co_await conn.query(std::move(sql));
  if (r || (!tolerated.empty() && pg::has_sqlstate(r.error(), tolerated))) co_return Status{};
  co_return failed(what, r.error());
}

asio::awaitable<Result<bool>> exists(pg::Connection& conn, std::string sql, std::string name) {
  auto r = co_await conn.query(std::move(sql), name);
  if (!r) co_return failed("looking up " + name, r.error());
  co_return !r->empty();
}

asio::awaitable<Result<bool>> role_exists(pg::Connection& conn, std::string name) {
  return exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = $1", std::move(name));
}

}  // namespace

PgTargetServer::PgTargetServer(asio::any_io_executor ex, std::string conninfo,
                               std::chrono::milliseconds connect_timeout, log::Logger log)
    : ex_(ex),
      conninfo_(conninfo),
      connect_timeout_(connect_timeout),
      log_(log),
      pool_(ex,
            pg::PoolOptions{.conninfo = std::move(conninfo),
                            .max_size = 2,
                            .acquire_timeout = connect_timeout,
                            .connect_timeout = connect_timeout},
            std::move(log)) {}

asio::awaitable<Status> PgTargetServer::create_database(std::string database,
                                                        int connection_limit) {
  auto conn = co_await pool_.acquire();
  if (!conn) co_return failed("connecting to the database server", conn.error());
  const std::string q = quote_ident(database);
  auto role = co_await role_exists(**conn, database);
  if (!role) co_return std::move(role).error();
  if (!*role) {
    auto s = co_await exec(**conn, "CREATE ROLE " + q + " NOLOGIN", "creating the owner role",
                           kDuplicateObject);
    if (!s) co_return s;
  }
  // Only members of a role may create a database it owns (and drop it later).
  if (auto s = co_await exec(**conn, "GRANT " + q + " TO CURRENT_USER", "joining the owner role");
      !s) {
    co_return s;
  }
  auto db = co_await exists(**conn, "SELECT 1 FROM pg_database WHERE datname = $1", database);
  if (!db) co_return std::move(db).error();
  if (!*db) {
    auto s = co_await exec(**conn,
                           "CREATE DATABASE " + q + " OWNER " + q + limit_clause(connection_limit),
                           "creating the database", kDuplicateDatabase);
    if (!s) co_return s;
  } else {
    auto s = co_await exec(**conn, "ALTER DATABASE " + q + limit_clause(connection_limit),
                           "setting the connection limit");
    if (!s) co_return s;
  }
  // Only the owner role (and so the bindings, its members) may connect.
  co_return co_await exec(**conn, "REVOKE ALL ON DATABASE " + q + " FROM PUBLIC",
                          "restricting the database to its owner");
}

asio::awaitable<Status> PgTargetServer::set_connection_limit(std::string database,
                                                             int connection_limit) {
  auto conn = co_await pool_.acquire();
  if (!conn) co_return failed("connecting to the database server", conn.error());
  co_return co_await exec(
      **conn, "ALTER DATABASE " + quote_ident(database) + limit_clause(connection_limit),
      "setting the connection limit");
}

asio::awaitable<Status> PgTargetServer::drop_database(std::string database) {
  auto conn = co_await pool_.acquire();
  if (!conn) co_return failed("connecting to the database server", conn.error());
  const std::string q = quote_ident(database);
  // FORCE ends the sessions still connected (the bindings', which we may signal).
  if (auto s = co_await exec(**conn, "DROP DATABASE IF EXISTS " + q + " WITH (FORCE)",
                             "dropping the database");
      !s) {
    co_return s;
  }
  auto members = co_await (**conn).query(
      "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
      "JOIN pg_roles o ON o.oid = m.roleid WHERE o.rolname = $1 AND r.rolname LIKE "
      "'cupola\\_b\\_%'",
      database);
  if (!members) co_return failed("listing the database's login roles", members.error());
  for (auto row : *members) {
    auto name = row.text(0);
    if (!name) co_return failed("listing the database's login roles", name.error());
    if (auto s = co_await exec(**conn, "DROP ROLE IF EXISTS " + quote_ident(*name),
                               "dropping a login role");
        !s) {
      co_return s;
    }
  }
  co_return co_await exec(**conn, "DROP ROLE IF EXISTS " + q, "dropping the owner role");
}

asio::awaitable<Status> PgTargetServer::create_user(std::string database, std::string username,
                                                    std::string password) {
  auto salt = random_salt();
  if (!salt) co_return std::move(salt).error();
  const std::string verifier = quote_literal(scram_sha256_verifier(password, *salt));
  auto conn = co_await pool_.acquire();
  if (!conn) co_return failed("connecting to the database server", conn.error());
  const std::string qdb = quote_ident(database);
  const std::string qu = quote_ident(username);
  auto role = co_await role_exists(**conn, username);
  if (!role) co_return std::move(role).error();
  Status made;
  if (!*role) {
    made = co_await exec(**conn,
                         "CREATE ROLE " + qu + " LOGIN PASSWORD " + verifier + " IN ROLE " + qdb,
                         "creating the login role");
  } else {
    made = co_await exec(**conn, "ALTER ROLE " + qu + " LOGIN PASSWORD " + verifier,
                         "setting the login role's password");
    if (made) made = co_await exec(**conn, "GRANT " + qdb + " TO " + qu, "joining the owner role");
  }
  if (!made) co_return made;
  // Membership lets us end the role's sessions and hand over its objects at unbind.
  if (auto s = co_await exec(**conn, "GRANT " + qu + " TO CURRENT_USER", "joining the login role");
      !s) {
    co_return s;
  }
  // Sessions act as the owner role, so tables one binding creates are the others' too.
  co_return co_await exec(
      **conn, "ALTER ROLE " + qu + " IN DATABASE " + qdb + " SET role = " + quote_literal(database),
      "making the login role act as the owner");
}

asio::awaitable<Status> PgTargetServer::drop_user(std::string database, std::string username) {
  auto conn = co_await pool_.acquire();
  if (!conn) co_return failed("connecting to the database server", conn.error());
  auto role = co_await role_exists(**conn, username);
  if (!role) co_return std::move(role).error();
  if (!*role) co_return Status{};
  const std::string qu = quote_ident(username);
  if (auto s = co_await exec(**conn, "ALTER ROLE " + qu + " NOLOGIN", "disabling the login role");
      !s) {
    co_return s;
  }
  auto ended = co_await (**conn).query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", username);
  if (!ended) co_return failed("ending the login role's sessions", ended.error());
  auto dropped = co_await (**conn).query("DROP ROLE IF EXISTS " + qu);
  if (dropped) co_return Status{};
  if (!pg::has_sqlstate(dropped.error(), kDependentObjects)) {
    co_return failed("dropping the login role", dropped.error());
  }
  // The role owns something in the database (made after a RESET ROLE): hand it over first.
  conn->release();
  if (auto s = co_await disown(database, username); !s) co_return s;
  auto again = co_await pool_.acquire();
  if (!again) co_return failed("connecting to the database server", again.error());
  co_return co_await exec(**again, "DROP ROLE IF EXISTS " + qu, "dropping the login role");
}

asio::awaitable<Status> PgTargetServer::disown(std::string database, std::string username) {
  auto conninfo = with_dbname(conninfo_, database);
  if (!conninfo) co_return failed("connecting to the instance's database", conninfo.error());
  auto conn = co_await pg::Connection::connect(ex_, std::move(*conninfo),
                                               std::chrono::steady_clock::now() + connect_timeout_);
  if (!conn) co_return failed("connecting to the instance's database", conn.error());
  const std::string qu = quote_ident(username);
  if (auto s = co_await exec(**conn, "REASSIGN OWNED BY " + qu + " TO " + quote_ident(database),
                             "handing the login role's objects to the owner");
      !s) {
    co_return s;
  }
  log_.info("disowned", {{"database", database}, {"username", username}});
  co_return co_await exec(**conn, "DROP OWNED BY " + qu, "dropping the login role's privileges");
}

}  // namespace cupola::pg_broker
