#include "loggregator/server/cc_access.h"

#include "common/http/client/json_request.h"
#include "common/jwt/errors.h"
#include "common/jwt/jws.h"

namespace cupola::logstore {
namespace asio = boost::asio;

namespace {

constexpr auto kKeysRefetchFloor = std::chrono::seconds(5);
constexpr int kMaxAppPages = 50;

// The token of "bearer <token>" (the scheme in any case), or "".
std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  return header;
}

// Guids and other source ids the Cloud Controller could know: no path or query characters.
bool plain_id(std::string_view id) {
  if (id.empty() || id.size() > 256) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

CcAccessPolicy::CcAccessPolicy(http::Client& client, const Clock& clock, CcAccessOptions options,
                               log::Logger log)
    : client_(client), clock_(clock), options_(std::move(options)), log_(std::move(log)) {}

asio::awaitable<Status> CcAccessPolicy::fetch_keys() {
  auto res = co_await client_.get(options_.uaa_url + "/token_keys");
  if (!res) {
    co_return make_error(
        Errc::Unavailable,
        "cannot check tokens: the token server is unreachable (" + res.error().message + ")");
  }
  if (res->status != 200) {
    co_return make_error(Errc::Unavailable, "cannot check tokens: " + options_.uaa_url +
                                                "/token_keys answered " +
                                                std::to_string(res->status));
  }
  auto keys = jwt::KeySet::from_token_keys(res->body);
  if (!keys) {
    co_return make_error(Errc::Unavailable,
                         "cannot check tokens: bad /token_keys: " + keys.error().message);
  }
  keys_ = std::move(*keys);
  keys_fetched_ = clock_.now();
  co_return Status{};
}

asio::awaitable<Result<Caller>> CcAccessPolicy::authenticate(std::string authorization) {
  std::string_view token = bearer_token(authorization);
  if (token.empty()) {
    co_return make_error(Errc::InvalidArgument,
                         "a bearer token is required: log in and send 'Authorization: bearer "
                         "<token>'");
  }
  auto now = clock_.now();
  if (keys_.entries().empty() || now - keys_fetched_ > options_.keys_ttl) {
    if (auto st = co_await fetch_keys(); !st && keys_.entries().empty()) co_return st.error();
  }
  auto claims = jwt::verify_rs256(token, keys_, now);
  // A key the token server rotated in since the last fetch.
  if (!claims && jwt::has_code(claims.error(), jwt::JwtErrc::UnknownKey) &&
      now - keys_fetched_ > kKeysRefetchFloor) {
    if (auto st = co_await fetch_keys(); !st) co_return st.error();
    claims = jwt::verify_rs256(token, keys_, now);
  }
  if (!claims) {
    co_return make_error(Errc::InvalidArgument,
                         "the token is not valid (" + claims.error().message + "): log in again");
  }
  Caller c;
  c.authorization = std::move(authorization);
  c.user = claims->user_name().value_or(claims->client_id().value_or(""));
  for (const auto& scope : options_.admin_scopes) c.admin = c.admin || claims->has_scope(scope);
  co_return c;
}

asio::awaitable<Result<bool>> CcAccessPolicy::may_read(Caller caller, std::string source_id) {
  if (caller.admin) co_return true;
  if (!plain_id(source_id)) co_return false;
  auto now = clock_.now();
  std::string key = caller.authorization + '\n' + source_id;
  if (auto it = answers_.find(key); it != answers_.end() && it->second.expires > now) {
    co_return it->second.allowed;
  }
  http::Headers headers{{"Authorization", caller.authorization}};
  auto res = co_await client_.get(options_.cc_url + "/v3/apps/" + source_id, headers);
  if (!res) {
    co_return make_error(Errc::Unavailable, "cannot ask the Cloud Controller who may read this: " +
                                                res.error().message);
  }
  bool allowed;
  if (res->status == 200) {
    allowed = true;
  } else if (res->status == 401 || res->status == 403 || res->status == 404) {
    allowed = false;
  } else {
    co_return make_error(Errc::Unavailable, "the Cloud Controller answered " +
                                                std::to_string(res->status) +
                                                " when asked about app " + source_id);
  }
  if (answers_.size() >= options_.max_cache_entries) answers_.clear();
  answers_[key] = {allowed, now + options_.cache_ttl};
  co_return allowed;
}

asio::awaitable<Result<std::set<std::string>>> CcAccessPolicy::visible_apps(const Caller& caller) {
  auto now = clock_.now();
  if (auto it = app_lists_.find(caller.authorization);
      it != app_lists_.end() && it->second.expires > now) {
    co_return it->second.guids;
  }
  std::set<std::string> guids;
  http::Headers headers{{"Authorization", caller.authorization}};
  std::string url = options_.cc_url + "/v3/apps?per_page=5000";
  for (int page = 0; page < kMaxAppPages && !url.empty(); ++page) {
    auto res = co_await client_.get(url, headers);
    if (!res || res->status != 200) {
      co_return make_error(Errc::Unavailable, "cannot list your apps at the Cloud Controller: " +
                                                  (res ? "status " + std::to_string(res->status)
                                                       : res.error().message));
    }
    auto doc = http::json_body(*res);
    if (!doc) co_return make_error(Errc::Unavailable, doc.error().message);
    url.clear();
    if (doc->HasMember("resources") && (*doc)["resources"].IsArray()) {
      for (const auto& app : (*doc)["resources"].GetArray()) {
        if (app.IsObject() && app.HasMember("guid") && app["guid"].IsString()) {
          guids.insert(app["guid"].GetString());
        }
      }
    }
    if (doc->HasMember("pagination") && (*doc)["pagination"].IsObject()) {
      const auto& p = (*doc)["pagination"];
      if (p.HasMember("next") && p["next"].IsObject() && p["next"].HasMember("href") &&
          p["next"]["href"].IsString()) {
        url = p["next"]["href"].GetString();
      }
    }
  }
  if (app_lists_.size() >= options_.max_cache_entries) app_lists_.clear();
  app_lists_[caller.authorization] = {guids, now + options_.cache_ttl};
  co_return guids;
}

asio::awaitable<Result<std::set<std::string>>> CcAccessPolicy::readable(
    Caller caller, std::set<std::string> source_ids) {
  if (caller.admin) co_return source_ids;
  auto apps = co_await visible_apps(caller);
  if (!apps) co_return apps.error();
  std::set<std::string> out;
  for (const auto& id : source_ids) {
    if (apps->contains(id)) out.insert(id);
  }
  co_return out;
}

}  // namespace cupola::logstore
