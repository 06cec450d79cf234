#include "cloud_controller/src/uaa/pg_revocation_store.h"

#include <chrono>

#include "common/core/clock.h"

namespace cupola::cc::uaa {
namespace asio = boost::asio;

asio::awaitable<Status> PgRevocationStore::revoke(RevokedToken token) {
  auto op = pool_.query(
      std::string("INSERT INTO uaa_revoked_tokens (jti, user_id, client_id, expires_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO UPDATE SET expires_at = "
                  "GREATEST(uaa_revoked_tokens.expires_at, EXCLUDED.expires_at)"),
      token.jti, token.user_id, token.client_id, unix_nanos(token.expires_at));
  auto r = co_await std::move(op);
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

asio::awaitable<Result<bool>> PgRevocationStore::is_revoked(std::string jti) {
  auto op = pool_.query(std::string("SELECT 1 FROM uaa_revoked_tokens WHERE jti = $1"), jti);
  auto rows = co_await std::move(op);
  if (!rows) co_return std::move(rows).error();
  co_return !rows->empty();
}

asio::awaitable<Result<std::vector<RevokedToken>>> PgRevocationStore::list_active(TimePoint now) {
  auto op =
      pool_.query(std::string("SELECT jti, user_id, client_id, expires_at FROM uaa_revoked_tokens "
                              "WHERE expires_at > $1 ORDER BY jti"),
                  unix_nanos(now));
  auto rows = co_await std::move(op);
  if (!rows) co_return std::move(rows).error();
  std::vector<RevokedToken> out;
  out.reserve(rows->size());
  for (auto row : *rows) {
    auto jti = row.text(0);
    auto user_id = row.text(1);
    auto client_id = row.text(2);
    auto expires = row.int64(3);
    if (!jti) co_return std::move(jti).error();
    if (!user_id) co_return std::move(user_id).error();
    if (!client_id) co_return std::move(client_id).error();
    if (!expires) co_return std::move(expires).error();
    RevokedToken t;
    t.jti = std::move(*jti);
    t.user_id = std::move(*user_id);
    t.client_id = std::move(*client_id);
    t.expires_at = TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(*expires)));
    out.push_back(std::move(t));
  }
  co_return out;
}

asio::awaitable<Result<std::int64_t>> PgRevocationStore::prune(TimePoint now) {
  auto op = pool_.query(std::string("DELETE FROM uaa_revoked_tokens WHERE expires_at <= $1"),
                        unix_nanos(now));
  auto r = co_await std::move(op);
  if (!r) co_return std::move(r).error();
  co_return r->affected();
}

}  // namespace cupola::cc::uaa
