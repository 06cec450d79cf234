#pragma once

// Organizations, spaces, the CC's user records, roles and jobs in ccdb. Lists take the
// viewer, so what a user may not see is filtered in SQL (admins see everything).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

struct Organization {
  std::string guid;
  std::string name;
  bool suspended = false;
  std::string created_at;  // RFC 3339, UTC, seconds
  std::string updated_at;
  std::string quota_guid;  // its organization quota (the "default" one unless another is set)
};

struct Space {
  std::string guid;
  std::string name;
  std::string organization_guid;
  std::string created_at;
  std::string updated_at;
  std::string quota_guid;  // its space quota; "" for none
};

struct Role {
  std::string guid;
  std::string type;  // "organization_manager", "space_developer", ...
  std::string user_guid;
  std::string organization_guid;  // "" for a space role
  std::string space_guid;         // "" for an organization role
  std::string created_at;
  std::string updated_at;
};

struct Job {
  std::string guid;
  std::string operation;  // "organization.delete", ...
  std::string state;      // PROCESSING, POLLING, COMPLETE, FAILED
  std::string errors_json = "[]";
  std::string warnings_json = "[]";
  std::string user_guid;
  std::string created_at;
  std::string updated_at;
};

// Who is asking: admins (and read-only admins, for reads) see everything; anyone else what
// their roles show them.
struct Viewer {
  std::string user_guid;
  bool admin = false;
  bool admin_read_only = false;
  bool sees_everything() const { return admin || admin_read_only; }
};

template <class T>
struct Page {
  std::vector<T> resources;
  std::int64_t total = 0;
};

inline constexpr std::string_view kOrgRoleTypes[] = {"organization_user", "organization_manager",
                                                     "organization_auditor",
                                                     "organization_billing_manager"};
inline constexpr std::string_view kSpaceRoleTypes[] = {"space_developer", "space_manager",
                                                       "space_auditor", "space_supporter"};

// Runs on the pool's executor. Errors: the database's (Unavailable, Timeout, ...); Conflict
// for a name or role that exists already; NotFound where said.
class TenancyDb {
 public:
  explicit TenancyDb(pg::Pool& pool) : pool_(pool) {}

  // Organizations: filters names, guids; order_by name, created_at, updated_at.
  boost::asio::awaitable<Result<Page<Organization>>> list_organizations(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Organization>>> organization(Viewer viewer,
                                                                           std::string guid);
  boost::asio::awaitable<Result<Organization>> create_organization(std::string guid,
                                                                   std::string name);
  boost::asio::awaitable<Status> delete_organization(std::string guid);

  // Spaces: filters names, guids, organization_guids.
  boost::asio::awaitable<Result<Page<Space>>> list_spaces(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Space>>> space(Viewer viewer, std::string guid);
  boost::asio::awaitable<Result<Space>> create_space(std::string guid, std::string name,
                                                     std::string organization_guid);
  boost::asio::awaitable<Status> delete_space(std::string guid);

  // The roles `user_guid` holds in the organization (org roles) or the space (space roles).
  boost::asio::awaitable<Result<std::vector<std::string>>> org_roles_of(std::string user_guid,
                                                                        std::string org_guid);
  boost::asio::awaitable<Result<std::vector<std::string>>> space_roles_of(std::string user_guid,
                                                                          std::string space_guid);

  // Roles: filters guids, types, user_guids, organization_guids, space_guids. A viewer sees
  // the roles of the organizations and spaces they see.
  boost::asio::awaitable<Result<Page<Role>>> list_roles(Viewer viewer, ListQuery q);
  boost::asio::awaitable<Result<std::optional<Role>>> role(Viewer viewer, std::string guid);
  // Creates the CC's user record when missing. Conflict when the user holds the role.
  boost::asio::awaitable<Result<Role>> create_role(Role role);
  boost::asio::awaitable<Status> delete_role(std::string guid);
  boost::asio::awaitable<Status> ensure_user(std::string user_guid);
  // Removes the CC's record of the user and every role they hold.
  boost::asio::awaitable<Status> delete_user(std::string user_guid);
  // The CC user records among `guids`, in that order.
  boost::asio::awaitable<Result<std::vector<std::string>>> known_users(
      std::vector<std::string> guids);

  boost::asio::awaitable<Result<Job>> create_job(Job job);
  boost::asio::awaitable<Result<std::optional<Job>>> job(std::string guid);
  // A job that was PROCESSING is now POLLING (a broker works on it), COMPLETE or FAILED (with
  // Cloud Foundry's errors array).
  boost::asio::awaitable<Status> finish_job(std::string guid, std::string state,
                                            std::string errors_json);

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
