#include "test/bbs/fakes/fake_cell_db.h"

#include <limits>

#include "bbs/api/models/errors.h"

namespace cupola::bbs::fakes {
namespace asio = boost::asio;

namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

std::int64_t expiry_after(std::int64_t now, std::int64_t ttl_ns) {
  if (ttl_ns > 0 && now > kForever - ttl_ns) return kForever;
  return now + ttl_ns;
}

}  // namespace

// CellDb

asio::awaitable<Status> FakeCellDb::heartbeat(CellPresence cell, std::int64_t ttl_ns,
                                              std::int64_t now) {
  heartbeat_calls.push_back(cell.cell_id);
  if (auto e = enter("heartbeat")) co_return std::move(*e);
  auto id = cell.cell_id;
  cells_[id] = {std::move(cell), expiry_after(now, ttl_ns)};
  co_return Status{};
}

asio::awaitable<Result<std::vector<CellPresence>>> FakeCellDb::list(std::int64_t now) {
  if (auto e = enter("list")) co_return std::move(*e);
  std::vector<CellPresence> out;
  for (const auto& [id, entry] : cells_) {
    if (entry.second > now) out.push_back(entry.first);
  }
  co_return out;
}

asio::awaitable<Result<std::vector<std::string>>> FakeCellDb::prune(std::int64_t now) {
  if (auto e = enter("prune")) co_return std::move(*e);
  std::vector<std::string> pruned;
  for (auto it = cells_.begin(); it != cells_.end();) {
    if (it->second.second <= now) {
      pruned.push_back(it->first);
      it = cells_.erase(it);
    } else {
      ++it;
    }
  }
  co_return pruned;
}

// DomainDb

asio::awaitable<Status> FakeDomainDb::upsert(std::string domain, std::int64_t ttl_ns,
                                             std::int64_t now) {
  upsert_calls.push_back(domain);
  if (auto e = enter("upsert")) co_return std::move(*e);
  expiries_[domain] = ttl_ns == 0 ? kForever : expiry_after(now, ttl_ns);
  co_return Status{};
}

asio::awaitable<Result<std::vector<std::string>>> FakeDomainDb::fresh(std::int64_t now) {
  if (auto e = enter("fresh")) co_return std::move(*e);
  std::vector<std::string> out;
  for (const auto& [domain, expire] : expiries_) {
    if (expire > now) out.push_back(domain);
  }
  co_return out;
}

// LockDb

asio::awaitable<Status> FakeLockDb::acquire(std::string key, std::string owner, std::string value,
                                            std::int64_t ttl_ns, std::int64_t now) {
  if (auto e = enter("acquire")) co_return std::move(*e);
  auto it = locks_.find(key);
  if (it != locks_.end() && it->second.owner != owner && it->second.expire_time > now) {
    co_return bbs_error(ErrorType::LockCollision, "lock " + key + " is held by another owner");
  }
  locks_[key] = Lock{std::move(owner), std::move(value), expiry_after(now, ttl_ns)};
  co_return Status{};
}

asio::awaitable<Status> FakeLockDb::release(std::string key, std::string owner) {
  if (auto e = enter("release")) co_return std::move(*e);
  auto it = locks_.find(key);
  if (it == locks_.end() || it->second.owner != owner) {
    co_return bbs_error(ErrorType::ResourceNotFound, "lock " + key + " is not held by " + owner);
  }
  locks_.erase(it);
  co_return Status{};
}

asio::awaitable<Result<LockRecord>> FakeLockDb::get(std::string key, std::int64_t now) {
  if (auto e = enter("get")) co_return std::move(*e);
  auto it = locks_.find(key);
  if (it == locks_.end() || it->second.expire_time <= now) {
    co_return bbs_error(ErrorType::ResourceNotFound, "lock " + key + " is not held");
  }
  co_return LockRecord{key, it->second.owner, it->second.value};
}

std::string FakeLockDb::owner_of(const std::string& key) const {
  auto it = locks_.find(key);
  return it == locks_.end() ? std::string() : it->second.owner;
}

}  // namespace cupola::bbs::fakes
