#include "cloud_controller/src/uaa/users.h"

#include <cctype>

#include <openssl/rand.h>

#include "cloud_controller/src/uaa/errors.h"
#include "common/core/base64.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;

namespace {

bool matches_filter(const User& u, const UserFilter& f) {
  if (f.origin && u.origin != *f.origin) return false;
  if (f.id && u.guid != *f.id) return false;
  return true;
}

}  // namespace

std::string new_revocation_salt() {
  std::string bytes(32, '\0');
  // RAND_bytes only fails when the system has no entropy; the salt is then still unique
  // per account through the guid it is combined with.
  RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  return base64_encode(bytes);
}

Status check_password_policy(std::string_view password) {
  if (password.empty()) {
    return uaa_error(UaaErrc::InvalidPassword, "Password must be at least 1 characters in length.");
  }
  if (password.size() > kMaxPasswordLength) {
    return uaa_error(UaaErrc::InvalidPassword,
                     "Password must be no more than 255 characters in length.");
  }
  return {};
}

Status check_username(std::string_view username) {
  if (username.empty())
    return uaa_error(UaaErrc::InvalidScimResource, "A username must be provided.");
  for (char c : username) {
    auto u = static_cast<unsigned char>(c);
    bool ok = u >= 0x80 || std::isalnum(u) || c == '+' || c == '-' || c == '_' || c == '.' ||
              c == '@' || c == '\'' || c == '!';
    if (!ok) {
      return uaa_error(UaaErrc::InvalidScimResource,
                       "Username must match pattern: [\\p{L}+0-9+\\-_.@'!]+");
    }
  }
  return {};
}

UserAdmin::UserAdmin(UserStore& store, const PasswordHasher& hasher, GuidGenerator& guids,
                     const Clock& clock, log::Logger log)
    : store_(store), hasher_(hasher), guids_(guids), clock_(clock), log_(std::move(log)) {}

asio::awaitable<Result<User>> UserAdmin::create(NewUser request) {
  if (request.origin.empty()) request.origin = std::string(kOriginUaa);
  if (request.origin != kOriginUaa) {
    co_return uaa_error(UaaErrc::InvalidScimResource, "Origin '" + request.origin +
                                                          "' is unknown: users can only be created "
                                                          "with origin 'uaa'.");
  }
  if (auto ok = check_username(request.username); !ok) co_return ok.error();
  if (auto ok = check_password_policy(request.password); !ok) co_return ok.error();
  auto hash_op = hasher_.hash(std::move(request.password));
  auto hash = co_await std::move(hash_op);
  if (!hash) co_return std::move(hash).error();
  TimePoint now = clock_.now();
  User user;
  user.guid = guids_.next();
  user.username = std::move(request.username);
  user.password_hash = std::move(*hash);
  user.origin = std::move(request.origin);
  user.email = std::move(request.email);
  user.given_name = std::move(request.given_name);
  user.family_name = std::move(request.family_name);
  user.active = request.active;
  user.admin = request.admin;
  user.revocation_salt = new_revocation_salt();
  user.created_at = user.updated_at = user.password_changed_at = now;
  auto created_op = store_.create(std::move(user));
  auto created = co_await std::move(created_op);
  if (created) log_.info("user.created", {{"user_id", created->guid}});
  co_return created;
}

asio::awaitable<Result<User>> UserAdmin::get(std::string guid) {
  auto op = store_.get(std::move(guid));
  co_return co_await std::move(op);
}

asio::awaitable<Result<UserPage>> UserAdmin::find(UserFilter filter, std::size_t offset,
                                                  std::size_t count) {
  if (!filter.username && !filter.id) {
    if (!filter.origin || *filter.origin == kOriginUaa) {
      auto op = store_.list(offset, count);
      co_return co_await std::move(op);
    }
    co_return UserPage{};
  }
  std::optional<User> match;
  if (filter.id) {
    auto op = store_.get(*filter.id);
    auto got = co_await std::move(op);
    if (!got && !has_code(got.error(), UaaErrc::UserNotFound)) co_return std::move(got).error();
    if (got) match = std::move(*got);
  } else {
    auto op = store_.find_by_username(*filter.username);
    auto found = co_await std::move(op);
    if (!found) co_return std::move(found).error();
    match = std::move(*found);
  }
  if (match && filter.username) {
    // Usernames compare case-insensitively, as the store looks them up.
    std::string a = match->username, b = *filter.username;
    for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (a != b) match.reset();
  }
  UserPage page;
  if (match && matches_filter(*match, filter)) {
    page.total = 1;
    if (offset == 0 && count > 0) page.users.push_back(std::move(*match));
  }
  co_return page;
}

asio::awaitable<Result<User>> UserAdmin::remove(std::string guid) {
  auto op = store_.remove(std::move(guid));
  auto removed = co_await std::move(op);
  if (removed) log_.info("user.deleted", {{"user_id", removed->guid}});
  co_return removed;
}

asio::awaitable<Result<User>> ensure_admin(UserStore& store, const PasswordHasher& hasher,
                                           GuidGenerator& guids, const Clock& clock,
                                           std::string username, std::string password) {
  if (auto ok = check_username(username); !ok) co_return ok.error();
  if (auto ok = check_password_policy(password); !ok) co_return ok.error();
  auto found_op = store.find_by_username(username);
  auto found = co_await std::move(found_op);
  if (!found) co_return std::move(found).error();
  if (!*found) {
    auto hash_op = hasher.hash(std::move(password));
    auto hash = co_await std::move(hash_op);
    if (!hash) co_return std::move(hash).error();
    TimePoint now = clock.now();
    User user;
    user.guid = guids.next();
    user.username = username;
    user.email = username;
    user.password_hash = std::move(*hash);
    user.admin = true;
    user.revocation_salt = new_revocation_salt();
    user.created_at = user.updated_at = user.password_changed_at = now;
    auto created_op = store.create(std::move(user));
    co_return co_await std::move(created_op);
  }
  User user = std::move(**found);
  TimePoint now = clock.now();
  bool changed = !user.admin || !user.active;
  user.admin = true;
  user.active = true;
  auto check = hasher.verify(password, user.password_hash);
  bool same_password = co_await std::move(check);
  if (!same_password || hasher.needs_rehash(user.password_hash)) {
    auto hash_op = hasher.hash(std::move(password));
    auto hash = co_await std::move(hash_op);
    if (!hash) co_return std::move(hash).error();
    user.password_hash = std::move(*hash);
    user.password_changed_at = now;
    if (!same_password) user.revocation_salt = new_revocation_salt();
    changed = true;
  }
  if (is_locked(user, now) || user.failed_logins != 0) {
    auto unlock_op = store.record_successful_login(user.guid);
    auto unlocked = co_await std::move(unlock_op);
    if (!unlocked) co_return std::move(unlocked).error();
    apply_successful_login(user);
  }
  if (!changed) co_return user;
  auto saved_op = store.save(std::move(user), now);
  co_return co_await std::move(saved_op);
}

}  // namespace cupola::cc::uaa
