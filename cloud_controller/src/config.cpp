#include "cloud_controller/src/config.h"

#include "common/config/config.h"

namespace cupola::cc {

void CcConfig::read(json::ObjectReader& r) {
  r.optional("listen_address", listen_address);
  r.optional("log_level", log_level);
  r.optional("database", database);
  r.optional("nats_servers", nats_servers);
  r.optional("api_url", api_url);
  r.optional("login_url", login_url);
  r.optional("uaa_url", uaa_url);
  r.optional("log_cache_url", log_cache_url);
  r.optional("token_signing_key_file", token_signing_key_file);
  r.optional("admin_username", admin_username);
  r.optional("admin_password", admin_password);
  r.optional("routes", routes);
  r.optional("access_token_lifetime", access_token_lifetime);
  r.optional("refresh_token_lifetime", refresh_token_lifetime);
  r.optional("apps_domain", apps_domain);
  r.optional("bbs_url", bbs_url);
  r.optional("internal_url", internal_url);
  r.optional("log_cache_internal_url", log_cache_internal_url);
  r.optional("buildpacks_dir", buildpacks_dir);
  r.optional("dashboard_dir", dashboard_dir);
  r.optional("internal_secret_file", internal_secret_file);
  r.optional("blobstore_dir", blobstore_dir);
  r.optional("staging_timeout", staging_timeout);
  r.optional("bulk_sync_interval", bulk_sync_interval);
  r.optional("broker_timeout", broker_timeout);
  r.optional("broker_poll_interval", broker_poll_interval);
  r.optional("broker_max_polling", broker_max_polling);
  r.optional("max_package_bytes", max_package_bytes);
  r.optional("max_droplet_bytes", max_droplet_bytes);
}

void CcConfig::validate(std::vector<std::string>& problems) const {
  config::check_listen_address(problems, "listen_address", listen_address);
  config::check_log_level(problems, log_level);
  config::check_nats_servers(problems, nats_servers);
  for (const auto& [field, url] :
       {std::pair{"api_url", api_url}, std::pair{"login_url", login_url},
        std::pair{"uaa_url", uaa_url}, std::pair{"log_cache_url", log_cache_url},
        std::pair{"bbs_url", bbs_url}, std::pair{"internal_url", internal_url},
        std::pair{"log_cache_internal_url", log_cache_internal_url}}) {
    config::check_http_url(problems, field, url);
  }
  if (database.empty()) problems.push_back("database: is required (a libpq conninfo string)");
  if (token_signing_key_file.empty()) {
    problems.push_back("token_signing_key_file: is required (made when missing)");
  }
  if (apps_domain.empty()) problems.push_back("apps_domain: must not be empty");
  if (internal_secret_file.empty()) {
    problems.push_back("internal_secret_file: is required (made when missing)");
  }
  if (blobstore_dir.empty()) {
    problems.push_back("blobstore_dir: is required (a directory for packages and droplets)");
  }
  if (staging_timeout < std::chrono::seconds(10)) {
    problems.push_back("staging_timeout: must be at least 10s");
  }
  for (const auto& [name, value] : {std::pair{"broker_timeout", broker_timeout},
                                    std::pair{"broker_poll_interval", broker_poll_interval},
                                    std::pair{"broker_max_polling", broker_max_polling}}) {
    if (value < std::chrono::seconds(1))
      problems.push_back(std::string(name) + ": must be at least 1s");
  }
  if (bulk_sync_interval < std::chrono::seconds(1)) {
    problems.push_back("bulk_sync_interval: must be at least 1s");
  }
  if (admin_username.empty()) problems.push_back("admin_username: must not be empty");
  if (admin_password.size() < 8) {
    problems.push_back("admin_password: must be at least 8 characters");
  }
  if (access_token_lifetime < std::chrono::minutes(1)) {
    problems.push_back("access_token_lifetime: must be at least 1m");
  }
  if (refresh_token_lifetime < access_token_lifetime) {
    problems.push_back("refresh_token_lifetime: must not be shorter than access_token_lifetime");
  }
}

}  // namespace cupola::cc
