#pragma once

// The CLI's state between commands: ~/.cupola/config.json (or $CUPOLA_HOME/.cupola/), written
// atomically with mode 0600 since it holds tokens. Missing file: an empty config.

#include <filesystem>
#include <string>

#include "common/core/result.h"

namespace cupola::cli {

struct Config {
  std::string api;  // "https://api.example.com", no trailing slash
  std::string api_version;
  bool skip_ssl_validation = false;
  std::string token_url;      // the root document's uaa link
  std::string log_cache_url;  // the root document's log_cache link
  std::string access_token, refresh_token;
  std::string org_guid, org_name;
  std::string space_guid, space_name;

  bool logged_in() const { return !access_token.empty(); }
  // Forgets the tokens and the target (logout, or a new API).
  void clear_session();
};

// The folder: $CUPOLA_HOME/.cupola, else $HOME/.cupola.
std::filesystem::path config_dir();
Result<Config> load_config(const std::filesystem::path& dir);
Result<void> save_config(const std::filesystem::path& dir, const Config& config);

// The user named in an access token (`user_name`, else `client_id`); "" when unreadable.
std::string user_of_token(const std::string& access_token);
// The user's guid in an access token (`user_id`); "" when unreadable.
std::string user_id_of_token(const std::string& access_token);
// Seconds since the epoch at which the token expires (`exp`); 0 when unreadable.
long long expiry_of_token(const std::string& access_token);

}  // namespace cupola::cli
