#pragma once

#include <chrono>
#include <cstdint>
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
  // The shared domain apps get routes in by default, made at start when missing.
  std::string apps_domain = "apps.localhost";
  // The BBS, and how cells and the BBS reach this process (signed download, upload and
  // callback links).
  std::string bbs_url = "http://127.0.0.1:8889";
  std::string internal_url = "http://127.0.0.1:9022";
  // The log store, as this process reaches it (container metrics for process stats).
  std::string log_cache_internal_url = "http://127.0.0.1:8083";
  // Buildpacks to install at start, one directory each (none when empty).
  std::string buildpacks_dir;
  // The web dashboard's files, served at /dashboard (not served when empty).
  std::string dashboard_dir;
  // The key of those links (hex); made, with mode 0600, when missing.
  std::string internal_secret_file;
  // Packages, droplets and the resource cache.
  std::string blobstore_dir;
  std::chrono::milliseconds staging_timeout{15 * 60 * 1000};
  std::chrono::milliseconds bulk_sync_interval{30 * 1000};  // nsync's pass over every app
  // Service brokers: one request's limit, the longest wait between two last_operation polls
  // (unless the broker sends Retry-After), and how long an operation may stay in progress.
  std::chrono::milliseconds broker_timeout{60 * 1000};
  std::chrono::milliseconds broker_poll_interval{30 * 1000};
  std::chrono::milliseconds broker_max_polling{7LL * 24 * 3600 * 1000};
  std::uint64_t max_package_bytes = 1ull << 30;  // unpacked size of one pushed app
  std::uint64_t max_droplet_bytes = 2ull << 30;
  std::chrono::milliseconds access_token_lifetime{20 * 60 * 1000};
  std::chrono::milliseconds refresh_token_lifetime{30LL * 24 * 3600 * 1000};

  void read(json::ObjectReader& r);
  void validate(std::vector<std::string>& problems) const;
};

}  // namespace cupola::cc
