#include "bbs/src/db/pg/actual_lrp_rows.h"

#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "bbs/src/db/pg/row_reader.h"
#include "common/pg/error.h"

namespace cupola::bbs::pg_rows {
namespace asio = boost::asio;

namespace {

constexpr const char* kInsert =
    "INSERT INTO actual_lrps (process_guid, instance_index, presence, domain, instance_guid, "
    "cell_id, state, net_info, crash_count, crash_reason, placement_error, since, "
    "modification_tag_epoch, modification_tag_index, routable, availability_zone) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

constexpr const char* kUpdate =
    "UPDATE actual_lrps SET presence = $3, domain = $4, instance_guid = $5, cell_id = $6, "
    "state = $7, net_info = $8, crash_count = $9, crash_reason = $10, placement_error = $11, "
    "since = $12, modification_tag_epoch = $13, modification_tag_index = $14, routable = $15, "
    "availability_zone = $16 "
    "WHERE process_guid = $1 AND instance_index = $2 AND presence = $17 "
    "AND modification_tag_epoch = $18 AND modification_tag_index = $19";

constexpr const char* kDelete =
    "DELETE FROM actual_lrps WHERE process_guid = $1 AND instance_index = $2 AND presence = $3 "
    "AND modification_tag_epoch = $4 AND modification_tag_index = $5";

Presence presence_of(std::int64_t code) {
  switch (code) {
    case 1:
      return Presence::Evacuating;
    case 2:
      return Presence::Suspect;
    default:
      return Presence::Ordinary;
  }
}

pg::Params row_params(const ActualLrp& lrp) {
  return pg::Params{
      lrp.key.process_guid,
      lrp.key.index,
      presence_code(lrp.presence),
      lrp.key.domain,
      lrp.instance_key.instance_guid,
      lrp.instance_key.cell_id,
      to_string(lrp.state),
      lrp.net_info.empty() ? std::string() : to_json(lrp.net_info),
      lrp.crash_count,
      lrp.crash_reason,
      lrp.placement_error,
      lrp.since,
      lrp.modification_tag.epoch,
      lrp.modification_tag.index,
      lrp.routable,
      lrp.availability_zone,
  };
}

std::string describe(const ActualLrp& lrp) {
  return "actual LRP " + lrp.key.process_guid + " index " + std::to_string(lrp.key.index) + " (" +
         std::string(to_string(lrp.presence)) + ")";
}

Error conflict(const ActualLrp& lrp) {
  return bbs_error(ErrorType::ResourceConflict, describe(lrp) + " changed or is gone");
}

}  // namespace

int presence_code(Presence p) {
  switch (p) {
    case Presence::Ordinary:
      return 0;
    case Presence::Evacuating:
      return 1;
    case Presence::Suspect:
      return 2;
  }
  return 0;
}

Result<ActualLrp> read_actual_lrp(const pg::Row& row) {
  RowReader r(row);
  ActualLrp lrp;
  lrp.key.process_guid = r.text(0);
  lrp.key.index = static_cast<std::int32_t>(r.int64(1));
  lrp.presence = presence_of(r.int64(2));
  lrp.key.domain = r.text(3);
  lrp.instance_key.instance_guid = r.text(4);
  lrp.instance_key.cell_id = r.text(5);
  auto state = r.text(6);
  if (auto s = parse_actual_lrp_state(state)) {
    lrp.state = *s;
  } else {
    r.fail(make_error(Errc::InvalidArgument, "unknown state \"" + state + "\""));
  }
  if (auto net = r.text(7); !net.empty()) {
    auto info = from_json<ActualLrpNetInfo>(net, "net_info");
    if (info) {
      lrp.net_info = std::move(info).value();
    } else {
      r.fail(std::move(info).error());
    }
  }
  lrp.crash_count = static_cast<std::int32_t>(r.int64(8));
  lrp.crash_reason = r.text(9);
  lrp.placement_error = r.text(10);
  lrp.since = r.int64(11);
  lrp.modification_tag.epoch = r.text(12);
  lrp.modification_tag.index = static_cast<std::uint32_t>(r.int64(13));
  lrp.routable = r.boolean(14);
  lrp.availability_zone = r.text(15);
  if (r.error()) return record_error(*r.error(), "actual LRP " + lrp.key.process_guid);
  return lrp;
}

asio::awaitable<Status> insert_actual_lrp(pg::Connection& conn, const ActualLrp& lrp) {
  auto params = row_params(lrp);
  auto r = co_await conn.query_params(kInsert, std::move(params));
  if (!r) co_return write_error(std::move(r).error(), describe(lrp));
  co_return Status{};
}

asio::awaitable<Status> delete_actual_lrp(pg::Connection& conn, const ActualLrp& lrp) {
  auto r =
      co_await conn.query(kDelete, lrp.key.process_guid, lrp.key.index, presence_code(lrp.presence),
                          lrp.modification_tag.epoch, lrp.modification_tag.index);
  if (!r) co_return std::move(r).error();
  if (r->affected() == 0) co_return conflict(lrp);
  co_return Status{};
}

asio::awaitable<Status> update_actual_lrp(pg::Connection& conn, const ActualLrp& before,
                                          const ActualLrp& after) {
  auto params = row_params(after);
  params.emplace_back(presence_code(before.presence));
  params.emplace_back(before.modification_tag.epoch);
  params.emplace_back(before.modification_tag.index);
  auto r = co_await conn.query_params(kUpdate, std::move(params));
  if (!r) co_return write_error(std::move(r).error(), describe(after));
  if (r->affected() == 0) co_return conflict(before);
  co_return Status{};
}

Error write_error(Error error, std::string_view what) {
  if (pg::is_unique_violation(error)) {
    return bbs_error(ErrorType::ResourceExists, std::string(what) + " already exists");
  }
  return error;
}

Error record_error(const Error& error, std::string_view what) {
  return bbs_error(ErrorType::InvalidRecord,
                   "cannot read stored " + std::string(what) + ": " + error.message);
}

}  // namespace cupola::bbs::pg_rows
