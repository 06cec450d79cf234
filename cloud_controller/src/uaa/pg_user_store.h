#pragma once

#include "cloud_controller/src/uaa/user_store.h"
#include "common/pg/pool.h"

namespace cupola::cc::uaa {

// UserStore on the uaa_users table (schema.h). `pool` must outlive the store; calls run
// on the pool's executor.
class PgUserStore final : public UserStore {
 public:
  explicit PgUserStore(pg::Pool& pool) : pool_(pool) {}

  // UserStore
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

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc::uaa
