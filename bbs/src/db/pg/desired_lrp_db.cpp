#include "bbs/src/db/pg/desired_lrp_db.h"

#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "bbs/src/db/pg/actual_lrp_rows.h"
#include "bbs/src/db/pg/row_reader.h"
#include "common/pg/transaction.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {

constexpr const char* kColumns = "record, modification_tag_epoch, modification_tag_index";

constexpr const char* kInsert =
    "INSERT INTO desired_lrps (process_guid, domain, log_guid, annotation, instances, "
    "memory_mb, disk_mb, max_pids, rootfs, routes, placement_tags, modification_tag_epoch, "
    "modification_tag_index, record) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

constexpr const char* kUpdate =
    "UPDATE desired_lrps SET domain = $2, log_guid = $3, annotation = $4, instances = $5, "
    "memory_mb = $6, disk_mb = $7, max_pids = $8, rootfs = $9, routes = $10, "
    "placement_tags = $11, modification_tag_epoch = $12, modification_tag_index = $13, "
    "record = $14 WHERE process_guid = $1";

pg::Params row_params(const DesiredLrp& d) {
  json::Writer tags;
  tags.start_array();
  for (const auto& t : d.placement_tags) tags.value(t);
  tags.end_array();
  return pg::Params{
      d.process_guid,
      d.domain,
      d.log_guid,
      d.annotation,
      d.instances,
      d.memory_mb,
      d.disk_mb,
      d.max_pids,
      d.root_fs,
      d.routes,
      tags.str(),
      d.modification_tag.epoch,
      d.modification_tag.index,
      to_json(d),
  };
}

// The record comes from its JSON; the tag from its columns, which updates compare on.
Result<DesiredLrp> read_desired(const pg::Row& row) {
  pg_rows::RowReader r(row);
  auto record = r.text(0);
  ModificationTag tag{r.text(1), static_cast<std::uint32_t>(r.int64(2))};
  if (r.error()) return pg_rows::record_error(*r.error(), "desired LRP");
  auto lrp = from_json<DesiredLrp>(record, "desired LRP");
  if (!lrp) return pg_rows::record_error(lrp.error(), "desired LRP");
  lrp->modification_tag = std::move(tag);
  return lrp;
}

Result<std::vector<DesiredLrp>> read_all(const pg::Rows& rows) {
  std::vector<DesiredLrp> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    auto lrp = read_desired(row);
    if (!lrp) return std::move(lrp).error();
    out.push_back(std::move(lrp).value());
  }
  return out;
}

constexpr const char* kSchedulingColumns =
    "process_guid, domain, instances, memory_mb, disk_mb, max_pids, rootfs, placement_tags, "
    "modification_tag_epoch, modification_tag_index";

// The scheduling columns only: no JSON record to parse.
Result<std::vector<DesiredLrp>> read_all_scheduling(const pg::Rows& rows) {
  std::vector<DesiredLrp> out;
  out.reserve(rows.size());
  for (auto row : rows) {
    pg_rows::RowReader r(row);
    DesiredLrp d;
    d.process_guid = r.text(0);
    d.domain = r.text(1);
    d.instances = static_cast<std::int32_t>(r.int64(2));
    d.memory_mb = static_cast<std::int32_t>(r.int64(3));
    d.disk_mb = static_cast<std::int32_t>(r.int64(4));
    d.max_pids = static_cast<std::int32_t>(r.int64(5));
    d.root_fs = r.text(6);
    std::string tags = r.text(7);
    d.modification_tag = {r.text(8), static_cast<std::uint32_t>(r.int64(9))};
    if (r.error()) return pg_rows::record_error(*r.error(), "desired LRP");
    if (tags != "[]") {
      auto doc = json::parse(tags);
      if (!doc || !doc->IsArray()) {
        return pg_rows::record_error(make_error(Errc::InvalidArgument, "bad placement_tags"),
                                     "desired LRP");
      }
      for (const auto& t : doc->GetArray()) {
        if (t.IsString()) d.placement_tags.emplace_back(t.GetString(), t.GetStringLength());
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Error not_found(const std::string& process_guid) {
  return bbs_error(ErrorType::ResourceNotFound, "desired LRP " + process_guid + " not found");
}

}  // namespace

asio::awaitable<Result<std::vector<DesiredLrp>>> PgDesiredLrpDb::list(DesiredLrpFilter filter) {
  std::string sql = std::string("SELECT ") +
                    (filter.scheduling_only ? kSchedulingColumns : kColumns) +
                    " FROM desired_lrps WHERE true";
  pg::Params params;
  if (filter.domain) {
    params.emplace_back(*filter.domain);
    sql += " AND domain = $" + std::to_string(params.size());
  }
  if (!filter.process_guids.empty()) {
    sql += " AND process_guid IN (";
    for (std::size_t i = 0; i < filter.process_guids.size(); ++i) {
      params.emplace_back(filter.process_guids[i]);
      sql += (i ? ", $" : "$") + std::to_string(params.size());
    }
    sql += ")";
  }
  sql += " ORDER BY process_guid";
  auto rows = co_await pool_.query_params(std::move(sql), std::move(params));
  if (!rows) co_return std::move(rows).error();
  if (filter.scheduling_only) co_return read_all_scheduling(*rows);
  co_return read_all(*rows);
}

asio::awaitable<Result<DesiredLrp>> PgDesiredLrpDb::get(std::string process_guid) {
  std::string sql =
      std::string("SELECT ") + kColumns + " FROM desired_lrps WHERE process_guid = $1";
  auto rows = co_await pool_.query(std::move(sql), process_guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return not_found(process_guid);
  co_return read_desired((*rows)[0]);
}

asio::awaitable<Status> PgDesiredLrpDb::desire(DesiredLrp lrp, std::vector<ActualLrp> actuals) {
  co_return co_await pg::transaction(pool_, [&](pg::Connection& conn) -> asio::awaitable<Status> {
    auto params = row_params(lrp);
    auto inserted = co_await conn.query_params(kInsert, std::move(params));
    if (!inserted) {
      co_return pg_rows::write_error(std::move(inserted).error(),
                                     "desired LRP " + lrp.process_guid);
    }
    for (const auto& actual : actuals) {
      if (auto s = co_await pg_rows::insert_actual_lrp(conn, actual); !s) co_return s;
    }
    co_return Status{};
  });
}

asio::awaitable<Result<std::pair<DesiredLrp, DesiredLrp>>> PgDesiredLrpDb::update(
    std::string process_guid, std::function<Result<DesiredLrp>(const DesiredLrp&)> decide) {
  using Change = std::pair<DesiredLrp, DesiredLrp>;
  const std::string select =
      std::string("SELECT ") + kColumns + " FROM desired_lrps WHERE process_guid = $1 FOR UPDATE";
  co_return co_await pg::transaction(
      pool_, [&](pg::Connection& conn) -> asio::awaitable<Result<Change>> {
        auto rows = co_await conn.query(select, process_guid);
        if (!rows) co_return std::move(rows).error();
        if (rows->empty()) co_return not_found(process_guid);
        auto before = read_desired((*rows)[0]);
        if (!before) co_return std::move(before).error();
        auto after = decide(*before);
        if (!after) co_return std::move(after).error();
        after->process_guid = before->process_guid;
        after->modification_tag = before->modification_tag.incremented();
        auto params = row_params(*after);
        auto updated = co_await conn.query_params(kUpdate, std::move(params));
        if (!updated) co_return std::move(updated).error();
        Change change(std::move(before).value(), std::move(after).value());
        co_return change;
      });
}

asio::awaitable<Result<DesiredLrp>> PgDesiredLrpDb::remove(std::string process_guid) {
  std::string sql =
      std::string("DELETE FROM desired_lrps WHERE process_guid = $1 RETURNING ") + kColumns;
  auto rows = co_await pool_.query(std::move(sql), process_guid);
  if (!rows) co_return std::move(rows).error();
  if (rows->empty()) co_return not_found(process_guid);
  co_return read_desired((*rows)[0]);
}

}  // namespace cupola::bbs
