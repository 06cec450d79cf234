#pragma once

// Who is calling the Cloud Controller, and where it learns people's names: interfaces the
// token service implements, so the API's rules are tested apart from it.

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/core/time.h"

namespace cupola::cc {

struct Caller {
  std::string user_guid;         // the token's user_id (or client_id for a client)
  std::string user_name;         // "" for a client
  std::string origin;            // "uaa"
  bool admin = false;            // cloud_controller.admin
  bool admin_read_only = false;  // cloud_controller.admin_read_only: reads all, secrets too
  bool global_auditor = false;   // cloud_controller.global_auditor: reads all but secrets
  bool can_write = false;        // cloud_controller.write (or admin)
  Viewer viewer() const { return {user_guid, admin, admin_read_only || global_auditor}; }
  // Whether secrets (environment variables, credentials) anywhere are the caller's to read.
  bool reads_secrets_globally() const { return admin || admin_read_only; }
};

// Verifies "bearer <token>" headers. Errors: NotFound when there is no token (401
// CF-NotAuthenticated), InvalidArgument when it is malformed, forged, expired or revoked (401
// CF-InvalidAuthToken).
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual boost::asio::awaitable<Result<Caller>> authenticate(std::string authorization) = 0;
};

struct UserIdentity {
  std::string guid;
  std::string username;
  std::string origin;
};

// The token service's users, by name or by guid. Runs on the CC's executor.
class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  virtual boost::asio::awaitable<Result<std::optional<UserIdentity>>> find_by_name(
      std::string username, std::string origin) = 0;
  // Those of `guids` that exist, in no particular order.
  virtual boost::asio::awaitable<Result<std::vector<UserIdentity>>> find_by_guids(
      std::vector<std::string> guids) = 0;
};

}  // namespace cupola::cc
