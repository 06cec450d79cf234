#include "cloud_controller/src/uaa/pg_user_store.h"

#include <chrono>
#include <cstdint>

#include "cloud_controller/src/uaa/errors.h"
#include "common/core/clock.h"
#include "common/pg/error.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;

namespace {

constexpr const char* kColumns =
    "guid, username, password_hash, origin, email, given_name, family_name, active, admin, "
    "revocation_salt, created_at, updated_at, password_changed_at, version, failed_logins, "
    "failures_since, locked_until";

TimePoint from_nanos(std::int64_t ns) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(ns)));
}

std::optional<std::int64_t> nanos(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return unix_nanos(*t);
}

// Reads the columns of kColumns in order and keeps the first error.
class UserReader {
 public:
  explicit UserReader(const pg::Row& row) : row_(row) {}

  Result<User> read() {
    User u;
    u.guid = take(row_.text(0), std::string());
    u.username = take(row_.text(1), std::string());
    u.password_hash = take(row_.text(2), std::string());
    u.origin = take(row_.text(3), std::string());
    u.email = take(row_.text(4), std::string());
    u.given_name = take(row_.text(5), std::string());
    u.family_name = take(row_.text(6), std::string());
    u.active = take(row_.boolean(7), false);
    u.admin = take(row_.boolean(8), false);
    u.revocation_salt = take(row_.text(9), std::string());
    u.created_at = from_nanos(take(row_.int64(10), std::int64_t{0}));
    u.updated_at = from_nanos(take(row_.int64(11), std::int64_t{0}));
    u.password_changed_at = from_nanos(take(row_.int64(12), std::int64_t{0}));
    u.version = take(row_.int64(13), std::int64_t{0});
    u.failed_logins = static_cast<int>(take(row_.int64(14), std::int64_t{0}));
    auto since = take(row_.optional_int64(15), std::optional<std::int64_t>());
    if (since) u.failures_since = from_nanos(*since);
    auto locked = take(row_.optional_int64(16), std::optional<std::int64_t>());
    if (locked) u.locked_until = from_nanos(*locked);
    if (error_) return *error_;
    return u;
  }

 private:
  template <class T>
  T take(Result<T> r, T fallback) {
    if (r) return std::move(r).value();
    if (!error_) error_ = std::move(r).error();
    return fallback;
  }

  const pg::Row& row_;
  std::optional<Error> error_;
};

Result<User> one_user(const Result<pg::Rows>& rows, const std::string& guid) {
  if (!rows) return rows.error();
  if (rows->empty()) return uaa_error(UaaErrc::UserNotFound, "User " + guid + " does not exist");
  return UserReader((*rows)[0]).read();
}

Error taken_or(Error error, const std::string& username) {
  if (pg::is_unique_violation(error)) {
    return uaa_error(UaaErrc::UsernameTaken, "Username already in use: " + username);
  }
  return error;
}

std::string select_from_users(std::string_view where) {
  return std::string("SELECT ") + kColumns + " FROM uaa_users " + std::string(where);
}

}  // namespace

asio::awaitable<Result<User>> PgUserStore::create(User user) {
  std::string sql = std::string("INSERT INTO uaa_users (") + kColumns +
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                    "$16, $17) RETURNING " +
                    kColumns;
  auto op =
      pool_.query(std::move(sql), user.guid, user.username, user.password_hash, user.origin,
                  user.email, user.given_name, user.family_name, user.active, user.admin,
                  user.revocation_salt, unix_nanos(user.created_at), unix_nanos(user.updated_at),
                  unix_nanos(user.password_changed_at), user.version, user.failed_logins,
                  nanos(user.failures_since), nanos(user.locked_until));
  auto rows = co_await std::move(op);
  if (!rows) co_return taken_or(std::move(rows).error(), user.username);
  co_return one_user(rows, user.guid);
}

asio::awaitable<Result<User>> PgUserStore::get(std::string guid) {
  auto op = pool_.query(select_from_users("WHERE guid = $1"), guid);
  auto rows = co_await std::move(op);
  co_return one_user(rows, guid);
}

asio::awaitable<Result<std::optional<User>>> PgUserStore::find_by_username(std::string username) {
  auto op = pool_.query(select_from_users("WHERE lower(username) = lower($1)"), username);
  auto rows = co_await std::move(op);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return std::optional<User>();
  auto user = UserReader((*rows)[0]).read();
  if (!user) co_return std::move(user).error();
  co_return std::optional<User>(std::move(user).value());
}

asio::awaitable<Result<UserPage>> PgUserStore::list(std::size_t offset, std::size_t count) {
  auto count_op = pool_.query(std::string("SELECT count(*) FROM uaa_users"));
  auto counted = co_await std::move(count_op);
  if (!counted) co_return std::move(counted).error();
  auto total = (*counted)[0].int64(0);
  if (!total) co_return std::move(total).error();
  UserPage page;
  page.total = static_cast<std::size_t>(*total);
  auto op = pool_.query(select_from_users("ORDER BY lower(username), guid OFFSET $1 LIMIT $2"),
                        static_cast<std::int64_t>(offset), static_cast<std::int64_t>(count));
  auto rows = co_await std::move(op);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    auto user = UserReader(row).read();
    if (!user) co_return std::move(user).error();
    page.users.push_back(std::move(user).value());
  }
  co_return page;
}

asio::awaitable<Result<User>> PgUserStore::save(User user, TimePoint now) {
  std::string sql =
      "UPDATE uaa_users SET username = $2, password_hash = $3, origin = $4, email = $5, "
      "given_name = $6, family_name = $7, active = $8, admin = $9, revocation_salt = $10, "
      "updated_at = $11, password_changed_at = $12, version = version + 1 WHERE guid = $1 "
      "RETURNING " +
      std::string(kColumns);
  auto op =
      pool_.query(std::move(sql), user.guid, user.username, user.password_hash, user.origin,
                  user.email, user.given_name, user.family_name, user.active, user.admin,
                  user.revocation_salt, unix_nanos(now), unix_nanos(user.password_changed_at));
  auto rows = co_await std::move(op);
  if (!rows) co_return taken_or(std::move(rows).error(), user.username);
  co_return one_user(rows, user.guid);
}

asio::awaitable<Result<User>> PgUserStore::remove(std::string guid) {
  auto op =
      pool_.query("DELETE FROM uaa_users WHERE guid = $1 RETURNING " + std::string(kColumns), guid);
  auto rows = co_await std::move(op);
  co_return one_user(rows, guid);
}

asio::awaitable<Result<User>> PgUserStore::record_failed_login(std::string guid,
                                                               LockoutPolicy policy,
                                                               TimePoint now) {
  // One UPDATE whose right-hand sides read the row as it was, so concurrent failures are
  // serialised by the row lock and each is counted (apply_failed_login, in SQL).
  constexpr const char* kOpen =
      "(failures_since IS NOT NULL AND $2::bigint - failures_since < $3::bigint)";
  std::string open = kOpen;
  std::string next = "(CASE WHEN " + open + " THEN failed_logins + 1 ELSE 1 END)";
  std::string locks = "(" + next + " >= $4::integer)";
  std::string sql = "UPDATE uaa_users SET failed_logins = CASE WHEN " + locks + " THEN 0 ELSE " +
                    next + " END, failures_since = CASE WHEN " + locks + " THEN NULL WHEN " + open +
                    " THEN failures_since ELSE $2::bigint END, locked_until = CASE WHEN " + locks +
                    " THEN $2::bigint + $5::bigint ELSE locked_until END WHERE guid = $1 " +
                    "RETURNING " + kColumns;
  auto window = std::chrono::duration_cast<std::chrono::nanoseconds>(policy.count_within).count();
  auto lockout = std::chrono::duration_cast<std::chrono::nanoseconds>(policy.lockout).count();
  auto op =
      pool_.query(std::move(sql), guid, unix_nanos(now), window, policy.max_failures, lockout);
  auto rows = co_await std::move(op);
  co_return one_user(rows, guid);
}

asio::awaitable<Status> PgUserStore::record_successful_login(std::string guid) {
  auto op =
      pool_.query(std::string("UPDATE uaa_users SET failed_logins = 0, failures_since = NULL, "
                              "locked_until = NULL WHERE guid = $1"),
                  guid);
  auto rows = co_await std::move(op);
  if (!rows) co_return std::move(rows).error();
  if (rows->affected() == 0) {
    co_return uaa_error(UaaErrc::UserNotFound, "User " + guid + " does not exist");
  }
  co_return Status{};
}

}  // namespace cupola::cc::uaa
