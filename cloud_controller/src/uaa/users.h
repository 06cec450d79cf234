#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/uaa/password_hash.h"
#include "cloud_controller/src/uaa/user_store.h"
#include "common/core/clock.h"
#include "common/core/guid.h"
#include "common/log/log.h"

namespace cupola::cc::uaa {

// A user to create (POST /Users), decoded.
struct NewUser {
  std::string username;
  std::string password;
  std::string origin;  // "" means "uaa", as the cf CLI sends it
  std::string email;
  std::string given_name;
  std::string family_name;
  bool active = true;
  bool admin = false;
};

// The clauses of a SCIM filter this server understands, all of which must hold:
// userName, origin and id, each compared with "eq" (userName case-insensitively).
struct UserFilter {
  std::optional<std::string> username;
  std::optional<std::string> origin;
  std::optional<std::string> id;
};

// UAA's default password policy: at least one character, at most 255.
inline constexpr std::size_t kMaxPasswordLength = 255;

// User management behind /Users. Runs on the store's executor; every reference must
// outlive it. Errors: UaaErrc::InvalidScimResource (username missing or outside UAA's
// pattern, an origin other than "uaa"), UaaErrc::InvalidPassword, UaaErrc::UsernameTaken,
// UaaErrc::UserNotFound; storage failures as they are.
class UserAdmin {
 public:
  UserAdmin(UserStore& store, const PasswordHasher& hasher, GuidGenerator& guids,
            const Clock& clock, log::Logger log);

  boost::asio::awaitable<Result<User>> create(NewUser user);
  boost::asio::awaitable<Result<User>> get(std::string guid);
  // Users matching `filter`, page `count` from zero-based `offset`.
  boost::asio::awaitable<Result<UserPage>> find(UserFilter filter, std::size_t offset,
                                                std::size_t count);
  boost::asio::awaitable<Result<User>> remove(std::string guid);

 private:
  UserStore& store_;
  const PasswordHasher& hasher_;
  GuidGenerator& guids_;
  const Clock& clock_;
  log::Logger log_;
};

// Makes `username` a usable administrator at startup: creates the account when missing;
// otherwise sets the admin flag, reactivates and unlocks it, and replaces the password when
// it no longer matches (which revokes the account's refresh tokens). Leaves an account
// that is already right untouched, so restarts do not log the admin out. Returns the
// account as stored.
boost::asio::awaitable<Result<User>> ensure_admin(UserStore& store, const PasswordHasher& hasher,
                                                  GuidGenerator& guids, const Clock& clock,
                                                  std::string username, std::string password);

// Checks a password against the policy; UaaErrc::InvalidPassword with UAA's sentence.
Status check_password_policy(std::string_view password);

// Checks a username against UAA's pattern for its own users, [\p{L}+0-9+\-_.@'!]+ (any
// non-ASCII byte counts as a letter); UaaErrc::InvalidScimResource.
Status check_username(std::string_view username);

// 32 random bytes, base64: a fresh User::revocation_salt.
std::string new_revocation_salt();

}  // namespace cupola::cc::uaa
