#pragma once

// Platform-wide settings in ccdb: Cloud Foundry's feature flags (a row only once an admin sets
// a flag; until then its default holds) and the running and staging environment variable
// groups.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

// Migration 5. The two groups always exist; a group's variables are a JSON object of strings.
inline constexpr const char* kSettingsSchema = R"sql(
CREATE TABLE feature_flags (
  name text PRIMARY KEY,
  enabled boolean NOT NULL,
  error_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE environment_variable_groups (
  name text PRIMARY KEY CHECK (name IN ('running', 'staging')),
  environment_json jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO environment_variable_groups (name) VALUES ('running'), ('staging');
)sql";

struct FeatureFlagDefault {
  std::string_view name;
  bool enabled;
};

// Cloud Foundry's flags and their defaults.
inline constexpr FeatureFlagDefault kFeatureFlagDefaults[] = {
    {"user_org_creation", false},
    {"private_domain_creation", true},
    {"app_bits_upload", true},
    {"app_scaling", true},
    {"route_creation", true},
    {"service_instance_creation", true},
    {"diego_docker", false},
    {"set_roles_by_username", true},
    {"unset_roles_by_username", true},
    {"task_creation", true},
    {"env_var_visibility", true},
    {"space_scoped_private_broker_creation", true},
    {"space_developer_env_var_visibility", true},
    {"service_instance_sharing", false},
    {"hide_marketplace_from_unauthenticated_users", false},
    {"resource_matching", true},
};

// The flag's default; none when `name` is not a flag.
std::optional<bool> feature_flag_default(std::string_view name);

struct FeatureFlag {
  std::string name;
  bool enabled = false;
  std::optional<std::string> custom_error_message;
  std::optional<std::string> updated_at;  // none until an admin sets the flag
};

// What a PATCH changes: a field left empty stays as it is.
struct FeatureFlagChange {
  std::optional<bool> enabled;
  std::optional<std::optional<std::string>> custom_error_message;  // an empty inner one clears
};

struct EnvironmentGroup {
  std::string name;  // "running" or "staging"
  std::string var_json = "{}";
  std::string updated_at;
};

// Runs on the pool's executor. Errors: the database's.
class SettingsDb {
 public:
  explicit SettingsDb(pg::Pool& pool) : pool_(pool) {}

  // Every flag, as set or by default, ordered by name.
  boost::asio::awaitable<Result<std::vector<FeatureFlag>>> feature_flags();
  // None when `name` is not a flag.
  boost::asio::awaitable<Result<std::optional<FeatureFlag>>> feature_flag(std::string name);
  // Records the flag with `change` applied to its current state. NotFound when `name` is not
  // a flag.
  boost::asio::awaitable<Result<FeatureFlag>> update_feature_flag(std::string name,
                                                                  FeatureFlagChange change);

  // None for a name other than "running" or "staging".
  boost::asio::awaitable<Result<std::optional<EnvironmentGroup>>> environment_group(
      std::string name);
  // Merges `changes_json` (an object of strings and nulls) into the group in one statement:
  // a string sets its variable, a null removes it. None for an unknown group.
  boost::asio::awaitable<Result<std::optional<EnvironmentGroup>>> update_environment_group(
      std::string name, std::string changes_json);

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
