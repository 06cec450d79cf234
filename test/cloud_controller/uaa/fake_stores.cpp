#include "test/cloud_controller/uaa/fake_stores.h"

#include <algorithm>
#include <cctype>

#include "cloud_controller/src/uaa/errors.h"

namespace cupola::cc::uaa::test {
namespace asio = boost::asio;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Error not_found(const std::string& guid) {
  return uaa_error(UaaErrc::UserNotFound, "User " + guid + " does not exist");
}

}  // namespace

std::optional<Error> FakeUserStore::take_failure() {
  auto f = std::move(fail_next);
  fail_next.reset();
  return f;
}

const User* FakeUserStore::by_username(const std::string& username,
                                       const std::string& except_guid) const {
  for (const auto& [guid, u] : users_) {
    if (guid != except_guid && lower(u.username) == lower(username)) return &u;
  }
  return nullptr;
}

asio::awaitable<Result<User>> FakeUserStore::create(User user) {
  if (auto f = take_failure()) co_return *f;
  if (by_username(user.username, "") || users_.count(user.guid)) {
    co_return uaa_error(UaaErrc::UsernameTaken, "Username already in use: " + user.username);
  }
  users_[user.guid] = user;
  co_return user;
}

asio::awaitable<Result<User>> FakeUserStore::get(std::string guid) {
  if (auto f = take_failure()) co_return *f;
  auto it = users_.find(guid);
  if (it == users_.end()) co_return not_found(guid);
  co_return it->second;
}

asio::awaitable<Result<std::optional<User>>> FakeUserStore::find_by_username(std::string username) {
  if (auto f = take_failure()) co_return *f;
  const User* u = by_username(username, "");
  if (!u) co_return std::optional<User>();
  co_return std::optional<User>(*u);
}

asio::awaitable<Result<UserPage>> FakeUserStore::list(std::size_t offset, std::size_t count) {
  if (auto f = take_failure()) co_return *f;
  std::vector<User> all;
  for (const auto& [guid, u] : users_) all.push_back(u);
  std::sort(all.begin(), all.end(), [](const User& a, const User& b) {
    auto la = lower(a.username), lb = lower(b.username);
    return la != lb ? la < lb : a.guid < b.guid;
  });
  UserPage page;
  page.total = all.size();
  for (std::size_t i = offset; i < all.size() && page.users.size() < count; ++i) {
    page.users.push_back(all[i]);
  }
  co_return page;
}

asio::awaitable<Result<User>> FakeUserStore::save(User user, TimePoint now) {
  if (auto f = take_failure()) co_return *f;
  auto it = users_.find(user.guid);
  if (it == users_.end()) co_return not_found(user.guid);
  if (by_username(user.username, user.guid)) {
    co_return uaa_error(UaaErrc::UsernameTaken, "Username already in use: " + user.username);
  }
  User& stored = it->second;
  user.created_at = stored.created_at;
  user.failed_logins = stored.failed_logins;
  user.failures_since = stored.failures_since;
  user.locked_until = stored.locked_until;
  user.updated_at = now;
  user.version = stored.version + 1;
  stored = user;
  ++saves;
  co_return stored;
}

asio::awaitable<Result<User>> FakeUserStore::remove(std::string guid) {
  if (auto f = take_failure()) co_return *f;
  auto it = users_.find(guid);
  if (it == users_.end()) co_return not_found(guid);
  User u = std::move(it->second);
  users_.erase(it);
  co_return u;
}

asio::awaitable<Result<User>> FakeUserStore::record_failed_login(std::string guid,
                                                                 LockoutPolicy policy,
                                                                 TimePoint now) {
  if (auto f = take_failure()) co_return *f;
  auto it = users_.find(guid);
  if (it == users_.end()) co_return not_found(guid);
  apply_failed_login(it->second, policy, now);
  co_return it->second;
}

asio::awaitable<Status> FakeUserStore::record_successful_login(std::string guid) {
  if (auto f = take_failure()) co_return *f;
  auto it = users_.find(guid);
  if (it == users_.end()) co_return not_found(guid);
  apply_successful_login(it->second);
  co_return Status{};
}

asio::awaitable<Status> FakeRevocationStore::revoke(RevokedToken token) {
  if (fail_next) {
    auto f = std::move(*fail_next);
    fail_next.reset();
    co_return f;
  }
  auto [it, inserted] = tokens_.try_emplace(token.jti, token);
  if (!inserted && it->second.expires_at < token.expires_at) {
    it->second.expires_at = token.expires_at;
  }
  co_return Status{};
}

asio::awaitable<Result<bool>> FakeRevocationStore::is_revoked(std::string jti) {
  co_return tokens_.count(jti) > 0;
}

asio::awaitable<Result<std::vector<RevokedToken>>> FakeRevocationStore::list_active(TimePoint now) {
  std::vector<RevokedToken> out;
  for (const auto& [jti, t] : tokens_) {
    if (t.expires_at > now) out.push_back(t);
  }
  co_return out;
}

asio::awaitable<Result<std::int64_t>> FakeRevocationStore::prune(TimePoint now) {
  auto n = std::erase_if(tokens_, [now](const auto& e) { return e.second.expires_at <= now; });
  co_return static_cast<std::int64_t>(n);
}

}  // namespace cupola::cc::uaa::test
