#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/uaa/user.h"
#include "common/core/result.h"

namespace cupola::cc::uaa {

// One page of users and how many there are in all.
struct UserPage {
  std::vector<User> users;
  std::size_t total = 0;
};

// The token service's user accounts. Implementations: PgUserStore (pg_user_store.h) and
// an in-memory fake for tests. Calls run on the store's executor; every error other than
// those named is a storage failure (Errc::Unavailable, a pg error) that handlers answer
// with 500/503.
class UserStore {
 public:
  virtual ~UserStore() = default;

  // Adds `user` as given (guid, timestamps and salt are the caller's). UaaErrc::UsernameTaken
  // when another user has the same username in any letter case.
  virtual boost::asio::awaitable<Result<User>> create(User user) = 0;

  // UaaErrc::UserNotFound when there is no user with this guid.
  virtual boost::asio::awaitable<Result<User>> get(std::string guid) = 0;

  // The user whose username equals `username` case-insensitively, or nullopt.
  virtual boost::asio::awaitable<Result<std::optional<User>>> find_by_username(
      std::string username) = 0;

  // Users ordered by username (case-insensitively), `count` from zero-based `offset`.
  virtual boost::asio::awaitable<Result<UserPage>> list(std::size_t offset, std::size_t count) = 0;

  // Replaces the stored account with `user` (matched by guid; created_at and the lockout
  // state are kept as stored), sets updated_at to `now` and bumps version. Returns the saved
  // record. UaaErrc::UserNotFound, UaaErrc::UsernameTaken.
  virtual boost::asio::awaitable<Result<User>> save(User user, TimePoint now) = 0;

  // Deletes the user and returns the record as it was. UaaErrc::UserNotFound.
  virtual boost::asio::awaitable<Result<User>> remove(std::string guid) = 0;

  // Counts one failed login at `now` (apply_failed_login) in one atomic step, so that
  // concurrent attempts are all counted. Returns the record after. UaaErrc::UserNotFound.
  virtual boost::asio::awaitable<Result<User>> record_failed_login(std::string guid,
                                                                   LockoutPolicy policy,
                                                                   TimePoint now) = 0;

  // Clears failures and lock (apply_successful_login). UaaErrc::UserNotFound.
  virtual boost::asio::awaitable<Status> record_successful_login(std::string guid) = 0;
};

}  // namespace cupola::cc::uaa
