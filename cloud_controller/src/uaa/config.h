#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "cloud_controller/src/uaa/clients.h"
#include "cloud_controller/src/uaa/password_hash.h"
#include "cloud_controller/src/uaa/token_issuer.h"
#include "cloud_controller/src/uaa/user.h"
#include "common/json/json.h"

namespace cupola::cc::uaa {

// The token service's part of the Cloud Controller's configuration (its "uaa" object):
//   {"uaa_url": "https://uaa.localhost", "login_url": "https://login.localhost",
//    "signing_key_path": "/var/cupola/cc/token_key.pem",
//    "access_token_lifetime": "20m", "refresh_token_lifetime": "720h",
//    "password_hash_iterations": 600000,
//    "lockout": {"max_failures": 5, "count_within": "20m", "lockout": "5m"},
//    "admin": {"username": "admin", "password": "..."},
//    "clients": [{"id": "logstore", "secret": "...", "scopes": ["uaa.resource"],
//                 "grant_types": ["client_credentials"]}]}
struct UaaConfig {
  std::string uaa_url;
  std::string login_url;  // defaults to uaa_url
  std::string signing_key_path;
  std::chrono::seconds access_token_lifetime{20 * 60};
  std::chrono::seconds refresh_token_lifetime{30 * 24 * 3600};
  std::uint32_t password_hash_iterations = PasswordHashOptions::kDefaultIterations;
  LockoutPolicy lockout;
  // The administrator ensure_admin creates at start; skipped when username is empty.
  std::string admin_username;
  std::string admin_password;
  std::vector<ClientRegistration> clients;

  void read(json::ObjectReader& r);
  // Appends "uaa.<field>: <problem>" for each problem.
  void validate(std::vector<std::string>& problems) const;

  TokenLifetimes lifetimes() const { return {access_token_lifetime, refresh_token_lifetime}; }
  PasswordHashOptions hashing() const { return {password_hash_iterations}; }
  const std::string& effective_login_url() const { return login_url.empty() ? uaa_url : login_url; }
};

}  // namespace cupola::cc::uaa
