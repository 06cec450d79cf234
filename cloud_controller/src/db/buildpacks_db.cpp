#include "cloud_controller/src/db/buildpacks_db.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "cloud_controller/src/db/sql_support.h"
#include "common/pg/error.h"
#include "common/pg/transaction.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

using namespace sql;

const std::string kRow =
    "guid, name, stack, lifecycle, position, enabled, locked, filename, sha256, " +
    ts("created_at") + ", " + ts("updated_at");
constexpr int kTotalColumn = 11;

// Writers queue behind each other (positions are read, then shifted); readers do not wait.
constexpr const char* kLock = "LOCK TABLE buildpacks IN SHARE ROW EXCLUSIVE MODE";

std::optional<std::string> optional_text(Reader& r, int c) {
  auto v = r.row.optional_text(c);
  if (!v) {
    if (!r.error) r.error = v.error();
    return std::nullopt;
  }
  return *v;
}

Buildpack read_buildpack(Reader& r) {
  Buildpack b;
  b.guid = r.text(0);
  b.name = r.text(1);
  b.stack = optional_text(r, 2);
  b.lifecycle = r.text(3);
  b.position = r.int64(4);
  b.enabled = r.boolean(5);
  b.locked = r.boolean(6);
  b.filename = optional_text(r, 7);
  b.sha256 = optional_text(r, 8);
  b.created_at = r.text(9);
  b.updated_at = r.text(10);
  return b;
}

Result<Buildpack> only_row(const pg::Rows& rows) {
  auto page = read_page<Buildpack>(rows, -1, read_buildpack);
  if (!page) return std::move(page).error();
  if (page->resources.empty()) return make_error(Errc::NotFound, "Buildpack not found");
  return std::move(page->resources.front());
}

// Cloud Foundry's words for a name already used on the stack.
Error name_taken(const std::string& name, const std::optional<std::string>& stack,
                 const std::string& lifecycle) {
  if (!stack) {
    return conflict("Buildpack with name '" + name + "' and an unassigned stack already exists");
  }
  return conflict("Buildpack with name '" + name + "', stack '" + *stack + "' and lifecycle '" +
                  lifecycle + "' already exists");
}

// Takes the lock and reads the buildpack; NotFound when there is none.
asio::awaitable<Result<Buildpack>> lock_and_read(pg::Connection& c, std::string guid) {
  if (auto locked = co_await c.query(kLock); !locked) co_return std::move(locked).error();
  auto rows = co_await c.query("SELECT " + kRow + " FROM buildpacks WHERE guid = $1", guid);
  if (!rows) co_return std::move(rows).error();
  co_return only_row(*rows);
}

asio::awaitable<Result<std::int64_t>> count_in(pg::Connection& c, std::string lifecycle) {
  auto rows = co_await c.query("SELECT count(*) FROM buildpacks WHERE lifecycle = $1", lifecycle);
  if (!rows) co_return std::move(rows).error();
  std::int64_t n = 0;
  for (auto row : *rows) n = row.int64(0).value_or(0);
  co_return n;
}

}  // namespace

asio::awaitable<Result<Page<Buildpack>>> BuildpacksDb::list(ListQuery q) {
  Sql sql;
  if (auto* v = q.filter("guids")) sql.any_of("guid", *v);
  if (auto* v = q.filter("names")) sql.any_of("name", *v);
  if (auto* v = q.filter("lifecycle")) sql.any_of("lifecycle", *v);
  if (auto* v = q.filter("stacks")) {
    std::vector<std::string> named;
    std::copy_if(v->begin(), v->end(), std::back_inserter(named),
                 [](const std::string& s) { return !s.empty(); });
    std::string cond;
    if (!named.empty()) {
      sql.any_of("stack", named);
      cond = sql.where.back();
      sql.where.pop_back();
    }
    if (named.size() < v->size()) {
      cond = cond.empty() ? "stack IS NULL" : "(" + cond + " OR stack IS NULL)";
    }
    sql.where.push_back(cond);
  }
  // Names a column only from this list: the order is spliced into the statement.
  static const std::set<std::string> kOrders{"position", "created_at", "updated_at", "lifecycle"};
  if (!kOrders.contains(q.order_by)) q.order_by = "position";
  std::string text = "SELECT " + kRow + ", count(*) OVER () FROM buildpacks" + sql.where_clause() +
                     " ORDER BY " + q.order_by + (q.descending ? " DESC" : "") +
                     ", lifecycle, position, guid" + paging(sql, q);
  auto rows = co_await pool_.query_params(std::move(text), std::move(sql.params));
  if (!rows) co_return std::move(rows).error();
  co_return read_page<Buildpack>(*rows, kTotalColumn, read_buildpack);
}

asio::awaitable<Result<std::optional<Buildpack>>> BuildpacksDb::buildpack(std::string guid) {
  ListQuery q;
  q.filters["guids"] = std::vector<std::string>{std::move(guid)};
  co_return first_of(co_await list(std::move(q)));
}

asio::awaitable<Result<Buildpack>> BuildpacksDb::create(Buildpack b,
                                                        std::optional<std::int64_t> position) {
  auto insert = [b, position](pg::Connection& c) -> asio::awaitable<Result<Buildpack>> {
    if (auto locked = co_await c.query(kLock); !locked) co_return std::move(locked).error();
    auto n = co_await count_in(c, b.lifecycle);
    if (!n) co_return std::move(n).error();
    std::int64_t at = *n + 1;
    if (position) at = std::clamp<std::int64_t>(*position, 1, *n + 1);
    auto shifted = co_await c.query(
        "UPDATE buildpacks SET position = position + 1 WHERE lifecycle = $1 AND position >= $2",
        b.lifecycle, at);
    if (!shifted) co_return std::move(shifted).error();
    auto rows = co_await c.query(
        "INSERT INTO buildpacks (guid, name, stack, lifecycle, position, enabled, locked, "
        "filename, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING " +
            kRow,
        b.guid, b.name, b.stack, b.lifecycle, at, b.enabled, b.locked, b.filename, b.sha256);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) co_return name_taken(b.name, b.stack, b.lifecycle);
      co_return std::move(rows).error();
    }
    co_return only_row(*rows);
  };
  co_return co_await pg::transaction(pool_, std::move(insert));
}

asio::awaitable<Result<BuildpackUpdate>> BuildpacksDb::update(std::string guid,
                                                              BuildpackChange change) {
  auto apply = [guid, change](pg::Connection& c) -> asio::awaitable<Result<BuildpackUpdate>> {
    auto before = co_await lock_and_read(c, guid);
    if (!before) co_return std::move(before).error();
    Buildpack after = *before;
    if (change.name) after.name = *change.name;
    if (change.enabled) after.enabled = *change.enabled;
    if (change.locked) after.locked = *change.locked;
    if (change.stack && *change.stack != before->stack) {
      if (before->stack) {
        co_return make_error(Errc::InvalidArgument, "Buildpack stack cannot be changed");
      }
      after.stack = *change.stack;
    }
    if (change.position) {
      auto n = co_await count_in(c, before->lifecycle);
      if (!n) co_return std::move(n).error();
      std::int64_t from = before->position;
      std::int64_t to =
          std::clamp<std::int64_t>(*change.position, 1, std::max<std::int64_t>(*n, 1));
      // Those between the old place and the new one step towards the old.
      std::string shift =
          to < from ? "position = position + 1 WHERE lifecycle = $1 AND position >= $2 AND "
                      "position < $3"
                    : "position = position - 1 WHERE lifecycle = $1 AND position > $3 AND "
                      "position <= $2";
      if (to != from) {
        auto shifted =
            co_await c.query("UPDATE buildpacks SET " + shift, before->lifecycle, to, from);
        if (!shifted) co_return std::move(shifted).error();
      }
      after.position = to;
    }
    auto rows = co_await c.query(
        "UPDATE buildpacks SET name = $2, stack = $3, position = $4, enabled = $5, locked = $6, "
        "updated_at = now() WHERE guid = $1 RETURNING " +
            kRow,
        guid, after.name, after.stack, after.position, after.enabled, after.locked);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) {
        co_return name_taken(after.name, after.stack, after.lifecycle);
      }
      co_return std::move(rows).error();
    }
    auto saved = only_row(*rows);
    if (!saved) co_return std::move(saved).error();
    co_return BuildpackUpdate{std::move(*before), std::move(*saved)};
  };
  co_return co_await pg::transaction(pool_, std::move(apply));
}

asio::awaitable<Result<BuildpackUpdate>> BuildpacksDb::set_bits(std::string guid,
                                                                BuildpackBits bits) {
  auto apply = [guid, bits](pg::Connection& c) -> asio::awaitable<Result<BuildpackUpdate>> {
    auto before = co_await lock_and_read(c, guid);
    if (!before) co_return std::move(before).error();
    auto rows = co_await c.query(
        "UPDATE buildpacks SET filename = $2, sha256 = $3, stack = $4, updated_at = now() WHERE "
        "guid = $1 RETURNING " +
            kRow,
        guid, bits.filename, bits.sha256, bits.stack);
    if (!rows) {
      if (pg::is_unique_violation(rows.error())) {
        co_return name_taken(before->name, bits.stack, before->lifecycle);
      }
      co_return std::move(rows).error();
    }
    auto saved = only_row(*rows);
    if (!saved) co_return std::move(saved).error();
    co_return BuildpackUpdate{std::move(*before), std::move(*saved)};
  };
  co_return co_await pg::transaction(pool_, std::move(apply));
}

asio::awaitable<Status> BuildpacksDb::restore_bits(Buildpack before) {
  auto rows = co_await pool_.query(
      "UPDATE buildpacks SET filename = $2, sha256 = $3, stack = $4, updated_at = now() WHERE "
      "guid = $1",
      before.guid, before.filename, before.sha256, before.stack);
  if (!rows) co_return std::move(rows).error();
  co_return Status{};
}

asio::awaitable<Status> BuildpacksDb::remove(std::string guid) {
  auto drop = [guid](pg::Connection& c) -> asio::awaitable<Status> {
    if (auto locked = co_await c.query(kLock); !locked) co_return std::move(locked).error();
    auto gone = co_await c.query(
        "DELETE FROM buildpacks WHERE guid = $1 RETURNING lifecycle, position", guid);
    if (!gone) co_return std::move(gone).error();
    if (gone->empty()) co_return make_error(Errc::NotFound, "Buildpack not found");
    auto lifecycle = (*gone)[0].text(0);
    auto position = (*gone)[0].int64(1);
    if (!lifecycle) co_return std::move(lifecycle).error();
    if (!position) co_return std::move(position).error();
    auto closed = co_await c.query(
        "UPDATE buildpacks SET position = position - 1 WHERE lifecycle = $1 AND position > $2",
        *lifecycle, *position);
    if (!closed) co_return std::move(closed).error();
    co_return Status{};
  };
  co_return co_await pg::transaction(pool_, std::move(drop));
}

asio::awaitable<Result<std::vector<Buildpack>>> BuildpacksDb::for_staging(std::string stack) {
  auto rows = co_await pool_.query(
      "SELECT " + kRow +
          " FROM buildpacks WHERE lifecycle = 'buildpack' AND enabled AND filename IS NOT NULL "
          "AND (stack = $1 OR stack IS NULL) ORDER BY position, guid",
      stack);
  if (!rows) co_return std::move(rows).error();
  auto page = read_page<Buildpack>(*rows, -1, read_buildpack);
  if (!page) co_return std::move(page).error();
  co_return std::move(page->resources);
}

}  // namespace cupola::cc
