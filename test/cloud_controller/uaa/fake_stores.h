#pragma once

#include <map>
#include <optional>
#include <string>

#include "cloud_controller/src/uaa/revocation_store.h"
#include "cloud_controller/src/uaa/user_store.h"

namespace cupola::cc::uaa::test {

// UserStore in a map, with UaaErrc errors as PgUserStore gives them. `fail_next`, when
// set, is returned by the next call instead of doing it.
class FakeUserStore final : public UserStore {
 public:
  boost::asio::awaitable<Result<User>> create(User user) override;
  boost::asio::awaitable<Result<User>> get(std::string guid) override;
  boost::asio::awaitable<Result<std::optional<User>>> find_by_username(
      std::string username) override;
  boost::asio::awaitable<Result<UserPage>> list(std::size_t offset, std::size_t count) override;
  boost::asio::awaitable<Result<User>> save(User user, TimePoint now) override;
  boost::asio::awaitable<Result<User>> remove(std::string guid) override;
  boost::asio::awaitable<Result<User>> record_failed_login(std::string guid, LockoutPolicy policy,
                                                           TimePoint now) override;
  boost::asio::awaitable<Status> record_successful_login(std::string guid) override;

  std::optional<Error> fail_next;
  int saves = 0;

 private:
  std::optional<Error> take_failure();
  const User* by_username(const std::string& username, const std::string& except_guid) const;

  std::map<std::string, User> users_;
};

// RevocationStore in a map.
class FakeRevocationStore final : public RevocationStore {
 public:
  boost::asio::awaitable<Status> revoke(RevokedToken token) override;
  boost::asio::awaitable<Result<bool>> is_revoked(std::string jti) override;
  boost::asio::awaitable<Result<std::vector<RevokedToken>>> list_active(TimePoint now) override;
  boost::asio::awaitable<Result<std::int64_t>> prune(TimePoint now) override;

  std::optional<Error> fail_next;

 private:
  std::map<std::string, RevokedToken> tokens_;
};

}  // namespace cupola::cc::uaa::test
