#include "bbs/src/controllers/cell_controller.h"

#include "bbs/src/controllers/invalid.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {
constexpr std::int64_t kNsPerSecond = 1'000'000'000;
}

std::int64_t CellController::now() const { return unix_nanos(clock_.now()); }

asio::awaitable<Status> CellController::heartbeat(CellPresence cell, std::uint32_t ttl_seconds) {
  if (auto p = validate(cell); !p.empty()) co_return invalid_request(p);
  if (ttl_seconds == 0) ttl_seconds = kDefaultCellTtlSeconds;
  co_return co_await cells_.heartbeat(std::move(cell), ttl_seconds * kNsPerSecond, now());
}

asio::awaitable<Result<std::vector<CellPresence>>> CellController::list_cells() {
  co_return co_await cells_.list(now());
}

asio::awaitable<Status> CellController::upsert_domain(std::string domain,
                                                      std::uint32_t ttl_seconds) {
  if (domain.empty()) co_return invalid_request({"Invalid field: domain"});
  co_return co_await domains_.upsert(std::move(domain),
                                     static_cast<std::int64_t>(ttl_seconds) * kNsPerSecond, now());
}

asio::awaitable<Result<std::vector<std::string>>> CellController::list_domains() {
  co_return co_await domains_.fresh(now());
}

asio::awaitable<Status> CellController::acquire_lock(std::string key, std::string owner,
                                                     std::string value, std::uint32_t ttl_seconds) {
  std::vector<std::string> problems;
  if (key.empty()) problems.push_back("Invalid field: key");
  if (owner.empty()) problems.push_back("Invalid field: owner");
  if (ttl_seconds == 0) problems.push_back("Invalid field: ttl");
  if (!problems.empty()) co_return invalid_request(problems);
  co_return co_await locks_.acquire(std::move(key), std::move(owner), std::move(value),
                                    static_cast<std::int64_t>(ttl_seconds) * kNsPerSecond, now());
}

asio::awaitable<Status> CellController::release_lock(std::string key, std::string owner) {
  co_return co_await locks_.release(std::move(key), std::move(owner));
}

asio::awaitable<Result<LockRecord>> CellController::get_lock(std::string key) {
  if (key.empty()) co_return invalid_request(std::vector<std::string>{"Invalid field: key"});
  co_return co_await locks_.get(std::move(key), now());
}

}  // namespace cupola::bbs
