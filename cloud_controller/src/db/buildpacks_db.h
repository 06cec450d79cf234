#pragma once

// Admin buildpacks in ccdb: what staging may detect with, in position order. Positions are
// 1, 2, ... within a lifecycle and stay that way: creating, moving and deleting shift the
// others, as Cloud Foundry's list of buildpacks does.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/api/list_query.h"
#include "cloud_controller/src/db/tenancy_db.h"
#include "common/core/result.h"
#include "common/pg/pool.h"

namespace cupola::cc {

// Migration 7. A name is unique per stack and lifecycle, and once among those without a stack.
inline constexpr const char* kBuildpacksSchema = R"sql(
CREATE TABLE buildpacks (
  guid text PRIMARY KEY,
  name text NOT NULL,
  stack text,
  lifecycle text NOT NULL DEFAULT 'buildpack',
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  locked boolean NOT NULL DEFAULT false,
  filename text,
  sha256 text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX buildpacks_name_stack_idx ON buildpacks (name, stack, lifecycle)
  WHERE stack IS NOT NULL;
CREATE UNIQUE INDEX buildpacks_name_no_stack_idx ON buildpacks (name, lifecycle)
  WHERE stack IS NULL;
CREATE INDEX buildpacks_position_idx ON buildpacks (lifecycle, position);
)sql";

struct Buildpack {
  std::string guid;
  std::string name;
  std::optional<std::string> stack;  // none: any stack
  std::string lifecycle = "buildpack";
  std::int64_t position = 1;
  bool enabled = true;
  bool locked = false;
  std::optional<std::string> filename;  // the uploaded file's name, once there are bits
  std::optional<std::string> sha256;    // of the stored blob (a gzip'd tar)
  std::string created_at;
  std::string updated_at;

  // AWAITING_UPLOAD until bits are stored, then READY.
  std::string state() const { return filename ? "READY" : "AWAITING_UPLOAD"; }
};

// What a PATCH changes; unset members stay as they are.
struct BuildpackChange {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> stack;
  std::optional<std::int64_t> position;  // clamped to 1..last
  std::optional<bool> enabled;
  std::optional<bool> locked;
};

// What storing bits records.
struct BuildpackBits {
  std::string filename;
  std::string sha256;
  std::optional<std::string> stack;
};

struct BuildpackUpdate {
  Buildpack before;
  Buildpack after;
};

// Runs on the pool's executor. Changes take a table lock, so that positions stay 1..n under
// concurrent writers. Errors: the database's; Conflict for a name taken on the stack (the
// message is Cloud Foundry's); NotFound for changes to a missing buildpack.
class BuildpacksDb {
 public:
  explicit BuildpacksDb(pg::Pool& pool) : pool_(pool) {}

  // Filters guids, names, stacks ("" matches those without a stack), lifecycle. Ordered by
  // q.order_by (position, created_at, updated_at, lifecycle), then lifecycle and position.
  boost::asio::awaitable<Result<Page<Buildpack>>> list(ListQuery q);
  boost::asio::awaitable<Result<std::optional<Buildpack>>> buildpack(std::string guid);
  // Inserts `b` at `position` (clamped to 1..last+1) of its lifecycle, shifting those at or
  // after it down; without a position, after the last. b.position is ignored.
  boost::asio::awaitable<Result<Buildpack>> create(Buildpack b,
                                                   std::optional<std::int64_t> position);
  // Applies the change; a new position moves the others up or down to make room.
  boost::asio::awaitable<Result<BuildpackUpdate>> update(std::string guid, BuildpackChange change);
  // Records stored bits (the buildpack becomes READY), or puts back what `before` held.
  boost::asio::awaitable<Result<BuildpackUpdate>> set_bits(std::string guid, BuildpackBits bits);
  boost::asio::awaitable<Status> restore_bits(Buildpack before);
  // Deletes it and closes the gap in positions. NotFound when it is gone already.
  boost::asio::awaitable<Status> remove(std::string guid);
  // The enabled, READY classic buildpacks for `stack` or for any stack, in position order.
  boost::asio::awaitable<Result<std::vector<Buildpack>>> for_staging(std::string stack);

 private:
  pg::Pool& pool_;
};

}  // namespace cupola::cc
