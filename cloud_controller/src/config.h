#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/json/json.h"

namespace cupola::cc {

// cupola-cc's configuration file.
struct CcConfig {
  std::string listen_address = "127.0.0.1:9022";  // the API and the token service
  std::string log_level = "info";
  std::string database = "host=/tmp dbname=ccdb";  // libpq conninfo
  std::vector<std::string> nats_servers{"nats://127.0.0.1:4222"};
  // Public base URLs, as clients reach them through the router.
  std::string api_url = "https://api.localhost";
  std::string login_url = "https://login.localhost";
  std::string uaa_url = "https://uaa.localhost";
  std::string log_cache_url = "https://log-cache.localhost";
  // The key that signs tokens (PEM). Made, and written with mode 0600, when missing; its kid
  // is derived from the key.
  std::string token_signing_key_file;
  // The platform administrator, made or updated at start.
  std::string admin_username = "admin";
  std::string admin_password;
  // Hostnames the routers send to this process (api., login., uaa. of the system domain).
  std::vector<std::string> routes;
  std::chrono::milliseconds access_token_lifetime{20 * 60 * 1000};
  std::chrono::milliseconds refresh_token_lifetime{30LL * 24 * 3600 * 1000};

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::cc
