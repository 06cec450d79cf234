#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/jwt/key_set.h"
#include "common/log/log.h"
#include "loggregator/server/access.h"

namespace cupola::logstore {

struct CcAccessOptions {
  std::string uaa_url;  // serves /token_keys
  std::string cc_url;   // serves /v3/apps
  std::vector<std::string> admin_scopes;
  std::chrono::milliseconds cache_ttl{10'000};  // how long a Cloud Controller answer holds
  std::chrono::milliseconds keys_ttl{300'000};  // how long fetched token keys are trusted
  std::size_t max_cache_entries = 10'000;
};

// The log store's access rules with the platform's own parties, as log-cache's auth proxy
// has them: a token is an RS256 JWT checked against the token server's /token_keys (fetched
// again when a token names a key not seen yet, at most every few seconds); holders of an
// admin scope read everything; anyone else reads a source when the Cloud Controller shows
// them the app of that guid (GET /v3/apps/<guid> with their token answers 200). Answers are
// cached for cache_ttl per token and source. Runs on the executor `client` uses.
class CcAccessPolicy final : public AccessPolicy {
 public:
  CcAccessPolicy(http::Client& client, const Clock& clock, CcAccessOptions options,
                 log::Logger log);

  boost::asio::awaitable<Result<Caller>> authenticate(std::string authorization) override;
  boost::asio::awaitable<Result<bool>> may_read(Caller caller, std::string source_id) override;
  boost::asio::awaitable<Result<std::set<std::string>>> readable(
      Caller caller, std::set<std::string> source_ids) override;

 private:
  boost::asio::awaitable<Status> fetch_keys();
  boost::asio::awaitable<Result<std::set<std::string>>> visible_apps(const Caller& caller);

  http::Client& client_;
  const Clock& clock_;
  CcAccessOptions options_;
  log::Logger log_;
  jwt::KeySet keys_;
  Clock::time_point keys_fetched_{};
  struct Answer {
    bool allowed = false;
    Clock::time_point expires;
  };
  std::map<std::string, Answer> answers_;  // by authorization + '\n' + source id
  struct AppList {
    std::set<std::string> guids;
    Clock::time_point expires;
  };
  std::map<std::string, AppList> app_lists_;  // by authorization
};

}  // namespace cupola::logstore
