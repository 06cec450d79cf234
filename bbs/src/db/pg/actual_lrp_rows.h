#pragma once

// Internal to the Postgres stores: how an ActualLrp maps to an actual_lrps row.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "bbs/api/models/actual_lrp.h"
#include "common/core/result.h"
#include "common/pg/connection.h"
#include "common/pg/rows.h"

namespace cupola::bbs::pg_rows {

// The select list read_actual_lrp() expects, in this order.
inline constexpr const char* kActualLrpColumns =
    "process_guid, instance_index, presence, domain, instance_guid, cell_id, state, net_info, "
    "crash_count, crash_reason, placement_error, since, modification_tag_epoch, "
    "modification_tag_index, routable, availability_zone";

// Decodes one row selected with kActualLrpColumns. Only net_info is JSON, and it is parsed
// only when present. A row that does not decode is InvalidRecord.
Result<ActualLrp> read_actual_lrp(const pg::Row& row);

// Inserts one row; ResourceExists when (process_guid, index, presence) is taken.
boost::asio::awaitable<Status> insert_actual_lrp(pg::Connection& conn, const ActualLrp& lrp);

// Deletes the row of `lrp`'s key and presence if its tag still matches; ResourceConflict
// when no such row.
boost::asio::awaitable<Status> delete_actual_lrp(pg::Connection& conn, const ActualLrp& lrp);

// Overwrites the row matching `before`'s key, presence and tag with `after` (which may
// carry another presence); ResourceConflict when no such row, ResourceExists when `after`'s
// presence is taken by another row.
boost::asio::awaitable<Status> update_actual_lrp(pg::Connection& conn, const ActualLrp& before,
                                                 const ActualLrp& after);

// Presence as stored: 0 ORDINARY, 1 EVACUATING, 2 SUSPECT.
int presence_code(Presence p);

// A write error as the stores report it: a unique violation is ResourceExists, anything
// else passes through.
Error write_error(Error error, std::string_view what);
// A stored row that cannot be read back.
Error record_error(const Error& error, std::string_view what);

}  // namespace cupola::bbs::pg_rows
