#include "bbs/src/db/pg/actual_lrp_db.h"

#include <cassert>

#include "bbs/src/db/pg/actual_lrp_rows.h"
#include "common/pg/transaction.h"

namespace cupola::bbs {
namespace asio = boost::asio;
using pg_rows::kActualLrpColumns;

namespace {

// "WHERE a = $1 AND b = $2" over the filters that are set, with their parameters.
struct Where {
  std::string sql;
  pg::Params params;

  template <class T>
  void add(const char* column, const std::optional<T>& value) {
    if (!value) return;
    params.emplace_back(*value);
    sql += (sql.empty() ? " WHERE " : " AND ");
    sql += std::string(column) + " = $" + std::to_string(params.size());
  }
};

Result<std::vector<ActualLrp>> read_all(const pg::Rows& rows) {
  std::vector<ActualLrp> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    auto lrp = pg_rows::read_actual_lrp(row);
    if (!lrp) return std::move(lrp).error();
    out.push_back(std::move(lrp).value());
  }
  return out;
}

bool same_instance(const ActualLrp& lrp, const std::string& process_guid, std::int32_t index) {
  return lrp.key.process_guid == process_guid && lrp.key.index == index;
}

// The decision may only touch rows of the (process_guid, index) it was asked about: those
// are the rows this transaction holds locked.
[[maybe_unused]] bool confined(const ActualLrpChanges& c, const std::string& process_guid,
                               std::int32_t index) {
  for (const auto& lrp : c.created) {
    if (!same_instance(lrp, process_guid, index)) return false;
  }
  for (const auto& [before, after] : c.changed) {
    if (!same_instance(before, process_guid, index)) return false;
    if (!same_instance(after, process_guid, index)) return false;
  }
  for (const auto& lrp : c.removed) {
    if (!same_instance(lrp, process_guid, index)) return false;
  }
  return true;
}

}  // namespace

asio::awaitable<Result<std::vector<ActualLrp>>> PgActualLrpDb::list(ActualLrpFilter filter) {
  Where where;
  where.add("domain", filter.domain);
  where.add("cell_id", filter.cell_id);
  where.add("process_guid", filter.process_guid);
  where.add("instance_index", filter.index);
  std::string sql = std::string("SELECT ") + kActualLrpColumns + " FROM actual_lrps" + where.sql +
                    " ORDER BY process_guid, instance_index, presence";
  auto rows = co_await pool_.query_params(std::move(sql), std::move(where.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_all(*rows);
}

asio::awaitable<Result<ActualLrpChanges>> PgActualLrpDb::mutate(std::string process_guid,
                                                                std::int32_t index,
                                                                ActualLrpDecision decide) {
  const std::string select = std::string("SELECT ") + kActualLrpColumns +
                             " FROM actual_lrps WHERE process_guid = $1 AND instance_index = $2"
                             " ORDER BY presence FOR UPDATE";
  co_return co_await pg::transaction(
      pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<ActualLrpChanges>> {
        auto rows = co_await conn.query(select, process_guid, index);
        if (!rows) co_return std::move(rows).error();
        auto current = read_all(*rows);
        if (!current) co_return std::move(current).error();
        auto decision = decide(*current);
        if (!decision) co_return std::move(decision).error();
        assert(confined(*decision, process_guid, index));
        for (const auto& lrp : decision->removed) {
          if (auto s = co_await pg_rows::delete_actual_lrp(conn, lrp); !s) {
            co_return std::move(s).error();
          }
        }
        for (const auto& [before, after] : decision->changed) {
          if (auto s = co_await pg_rows::update_actual_lrp(conn, before, after); !s) {
            co_return std::move(s).error();
          }
        }
        for (const auto& lrp : decision->created) {
          if (auto s = co_await pg_rows::insert_actual_lrp(conn, lrp); !s) {
            co_return std::move(s).error();
          }
        }
        co_return std::move(decision).value();
      });
}

}  // namespace cupola::bbs
