#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/time.h"

namespace cupola::cc::uaa {

// The only identity provider this token service has: users it stores itself.
inline constexpr std::string_view kOriginUaa = "uaa";

// A user account of the token service. `guid` is the SCIM id and the tokens' user_id and
// sub; the Cloud Controller's own user records refer to it.
struct User {
  std::string guid;
  // Unique case-insensitively; kept as created.
  std::string username;
  // See password_hash.h. Empty for an account that cannot log in with a password.
  std::string password_hash;
  std::string origin = std::string(kOriginUaa);
  std::string email;
  std::string given_name;
  std::string family_name;
  bool active = true;
  // Platform administrator: tokens carry the admin scopes (scopes.h).
  bool admin = false;
  // Part of every refresh token's rev_sig: replacing it revokes all of the user's refresh
  // tokens at once (a password change does).
  std::string revocation_salt;
  TimePoint created_at{};
  TimePoint updated_at{};
  TimePoint password_changed_at{};
  // Bumped by every save; SCIM's meta.version.
  std::int64_t version = 0;
  // Lockout state (LockoutPolicy).
  int failed_logins = 0;
  std::optional<TimePoint> failures_since;
  std::optional<TimePoint> locked_until;
};

// UAA's default lockout: 5 failed logins counted within 20 minutes lock the account for
// 5 minutes. A login attempt while locked is refused without checking the password.
struct LockoutPolicy {
  int max_failures = 5;
  std::chrono::seconds count_within{1200};
  std::chrono::seconds lockout{300};
};

// Whether the account refuses logins at `now`.
inline bool is_locked(const User& user, TimePoint now) {
  return user.locked_until && *user.locked_until > now;
}

// The lockout state after one more failed login at `now`: failures older than the
// counting window start a new count; reaching max_failures locks the account until
// now + lockout and starts the count again. Pure; the stores apply the same rule
// atomically.
inline void apply_failed_login(User& user, const LockoutPolicy& policy, TimePoint now) {
  bool window_open = user.failures_since && now - *user.failures_since < policy.count_within;
  if (!window_open) {
    user.failed_logins = 0;
    user.failures_since = now;
  }
  user.failed_logins += 1;
  if (user.failed_logins >= policy.max_failures) {
    user.locked_until = now + policy.lockout;
    user.failed_logins = 0;
    user.failures_since.reset();
  }
}

// The state after a successful login: no failures, no lock.
inline void apply_successful_login(User& user) {
  user.failed_logins = 0;
  user.failures_since.reset();
  user.locked_until.reset();
}

}  // namespace cupola::cc::uaa
