#include "bbs/src/db/pg/cell_db.h"

#include <algorithm>
#include <limits>

#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "bbs/src/db/pg/actual_lrp_rows.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {

constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

Result<std::vector<std::string>> first_column(const pg::Rows& rows) {
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    auto v = row.text(0);
    if (!v) return std::move(v).error();
    out.push_back(std::move(v).value());
  }
  return out;
}

}  // namespace

std::int64_t expiry_after(std::int64_t now, std::int64_t ttl_ns) {
  if (ttl_ns > 0 && now > kForever - ttl_ns) return kForever;
  return now + ttl_ns;
}

// CellDb

asio::awaitable<Status> PgCellDb::heartbeat(CellPresence cell, std::int64_t ttl_ns,
                                            std::int64_t now) {
  auto r = co_await pool_.query(
      "INSERT INTO cells (cell_id, presence, expire_time) VALUES ($1, $2, $3) "
      "ON CONFLICT (cell_id) DO UPDATE SET presence = EXCLUDED.presence, "
      "expire_time = EXCLUDED.expire_time",
      cell.cell_id, to_json(cell), expiry_after(now, ttl_ns));
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<CellPresence>>> PgCellDb::list(std::int64_t now) {
  auto rows = co_await pool_.query(
      "SELECT presence FROM cells WHERE expire_time > $1 ORDER BY cell_id", now);
  if (!rows) co_return std::move(rows).error();
  std::vector<CellPresence> out;
  out.reserve(rows->size());
  for (auto row : *rows) {
    auto text = row.text(0);
    if (!text) co_return pg_rows::record_error(text.error(), "cell presence");
    auto cell = from_json<CellPresence>(*text, "cell presence");
    if (!cell) co_return pg_rows::record_error(cell.error(), "cell presence");
    out.push_back(std::move(cell).value());
  }
  co_return out;
}

asio::awaitable<Result<std::vector<std::string>>> PgCellDb::prune(std::int64_t now) {
  auto rows =
      co_await pool_.query("DELETE FROM cells WHERE expire_time <= $1 RETURNING cell_id", now);
  if (!rows) co_return std::move(rows).error();
  auto ids = first_column(*rows);
  if (ids) std::sort(ids->begin(), ids->end());
  co_return ids;
}

// DomainDb

asio::awaitable<Status> PgDomainDb::upsert(std::string domain, std::int64_t ttl_ns,
                                           std::int64_t now) {
  std::int64_t expire = ttl_ns == 0 ? kForever : expiry_after(now, ttl_ns);
  auto r = co_await pool_.query(
      "INSERT INTO domains (domain, expire_time) VALUES ($1, $2) "
      "ON CONFLICT (domain) DO UPDATE SET expire_time = EXCLUDED.expire_time",
      domain, expire);
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

asio::awaitable<Result<std::vector<std::string>>> PgDomainDb::fresh(std::int64_t now) {
  auto rows = co_await pool_.query(
      "SELECT domain FROM domains WHERE expire_time > $1 ORDER BY domain", now);
  if (!rows) co_return std::move(rows).error();
  co_return first_column(*rows);
}

// LockDb

asio::awaitable<Status> PgLockDb::acquire(std::string key, std::string owner, std::string value,
                                          std::int64_t ttl_ns, std::int64_t now) {
  // One statement, so two contenders cannot both see the lock free.
  auto r = co_await pool_.query(
      "INSERT INTO locks (key, owner, expire_time, value) VALUES ($1, $2, $3, $5) "
      "ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, "
      "expire_time = EXCLUDED.expire_time, value = EXCLUDED.value "
      "WHERE locks.owner = EXCLUDED.owner OR locks.expire_time <= $4",
      key, owner, expiry_after(now, ttl_ns), now, value);
  if (!r) co_return std::move(r).error();
  if (r->affected() == 0) {
    co_return bbs_error(ErrorType::LockCollision, "lock " + key + " is held by another owner");
  }
  co_return Status{};
}

asio::awaitable<Status> PgLockDb::release(std::string key, std::string owner) {
  auto r = co_await pool_.query("DELETE FROM locks WHERE key = $1 AND owner = $2", key, owner);
  if (!r) co_return std::move(r).error();
  if (r->affected() == 0) {
    co_return bbs_error(ErrorType::ResourceNotFound, "lock " + key + " is not held by " + owner);
  }
  co_return Status{};
}

asio::awaitable<Result<LockRecord>> PgLockDb::get(std::string key, std::int64_t now) {
  auto rows = co_await pool_.query(
      "SELECT owner, value FROM locks WHERE key = $1 AND expire_time > $2", key, now);
  if (!rows) co_return std::move(rows).error();
  for (auto row : *rows) {
    auto owner = row.text(0);
    if (!owner) co_return std::move(owner).error();
    auto value = row.text(1);
    if (!value) co_return std::move(value).error();
    co_return LockRecord{key, std::move(owner).value(), std::move(value).value()};
  }
  co_return bbs_error(ErrorType::ResourceNotFound, "lock " + key + " is not held");
}

}  // namespace cupola::bbs
