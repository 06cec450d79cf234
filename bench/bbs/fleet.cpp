#include "bench/bbs/fleet.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "bbs/api/codec/codec.h"
#include "bbs/src/db/pg/actual_lrp_rows.h"

namespace cupola::bench {
namespace asio = boost::asio;
using bbs::ActualLrp;
using bbs::ActualLrpState;
using bbs::DesiredLrp;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
// Rows per INSERT: 16 parameters a row stays well under Postgres's 65,535.
constexpr std::size_t kBatch = 1000;

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Random-looking like Cloud Foundry's GUIDs, so that insertion order is not key order.
std::string guid(std::uint64_t seed) {
  const unsigned long long a = mix(2 * seed);
  const unsigned long long b = mix(2 * seed + 1);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx", a >> 32, (a >> 16) & 0xffff,
                a & 0xffff, b >> 48, b & 0xffffffffffffULL);
  return buf;
}

// "<app guid>-<version guid>", as the cloud controller names processes.
std::string process_guid(int i) { return guid(i) + "-" + guid(1'000'000 + i); }

std::string cell_name(int c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "cell-%03d", c);
  return buf;
}

ActualLrp make_actual(const DesiredLrp& d, int i, const Fleet& f) {
  const int c = i % static_cast<int>(f.cells.size());
  const int j = i % 1000;
  const int k = i / 1000;
  ActualLrp a;
  a.key = {d.process_guid, 0, d.domain};
  a.modification_tag = {guid(2'000'000 + i), static_cast<std::uint32_t>(2 + i % 5)};
  a.since = f.now - (10 + i % 600) * kMinute;
  auto place = [&] {
    a.instance_key = {guid(3'000'000 + i), f.cells[c]};
    a.availability_zone = "z" + std::to_string(c % 3 + 1);
  };
  if (j < 975) {
    a.state = ActualLrpState::Running;
    place();
    a.net_info.address = "10.0." + std::to_string(c) + ".10";
    a.net_info.instance_address =
        "10.255." + std::to_string(i / 250 % 250) + "." + std::to_string(i % 250 + 2);
    a.net_info.ports = {{8080, static_cast<std::uint32_t>(61000 + i % 4000)},
                        {2222, static_cast<std::uint32_t>(65000 + i % 500)}};
    a.routable = true;
  } else if (j < 985) {
    a.state = ActualLrpState::Claimed;
    place();
    a.since = f.now - 5 * kSecond;
  } else if (j < 990) {
    a.state = ActualLrpState::Unclaimed;
    a.since = f.now - (j < 987 ? 5 * kMinute : 5 * kSecond);
  } else {
    a.state = ActualLrpState::Crashed;
    a.crash_reason = "APP/PROC/WEB: Exited with status 1";
    if (j < 992) {
      a.crash_count = 3 + k % 5;  // 30 s .. 8 min backoff
      a.since = f.now - ((k * 7 + j) % 10) * kMinute;
    } else {
      a.crash_count = 8 + k % 50;  // 16 min backoff
      a.since = f.now - ((k * 7 + j) % 15) * kMinute;
    }
  }
  return a;
}

std::string placeholders(std::size_t rows, std::size_t columns) {
  std::string s;
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    s += r ? ",(" : "(";
    for (std::size_t c = 0; c < columns; ++c) s += (c ? ",$" : "$") + std::to_string(++n);
    s += ")";
  }
  return s;
}

void add_desired(pg::Params& p, const DesiredLrp& d) {
  p.emplace_back(d.process_guid);
  p.emplace_back(d.domain);
  p.emplace_back(d.log_guid);
  p.emplace_back(d.annotation);
  p.emplace_back(d.instances);
  p.emplace_back(d.memory_mb);
  p.emplace_back(d.disk_mb);
  p.emplace_back(d.max_pids);
  p.emplace_back(d.root_fs);
  p.emplace_back(d.routes);
  p.emplace_back("[]");
  p.emplace_back(d.modification_tag.epoch);
  p.emplace_back(d.modification_tag.index);
  p.emplace_back(bbs::to_json(d));
}

void add_actual(pg::Params& p, const ActualLrp& a) {
  p.emplace_back(a.key.process_guid);
  p.emplace_back(a.key.index);
  p.emplace_back(bbs::pg_rows::presence_code(a.presence));
  p.emplace_back(a.key.domain);
  p.emplace_back(a.instance_key.instance_guid);
  p.emplace_back(a.instance_key.cell_id);
  p.emplace_back(bbs::to_string(a.state));
  p.emplace_back(a.net_info.empty() ? std::string() : bbs::to_json(a.net_info));
  p.emplace_back(a.crash_count);
  p.emplace_back(a.crash_reason);
  p.emplace_back(a.placement_error);
  p.emplace_back(a.since);
  p.emplace_back(a.modification_tag.epoch);
  p.emplace_back(a.modification_tag.index);
  p.emplace_back(a.routable);
  p.emplace_back(a.availability_zone);
}

template <class T, class Add>
asio::awaitable<Status> insert_all(pg::Pool& pool, const char* head, std::size_t columns,
                                   const std::vector<T>& items, Add add) {
  for (std::size_t from = 0; from < items.size(); from += kBatch) {
    const std::size_t n = std::min(kBatch, items.size() - from);
    pg::Params params;
    params.reserve(n * columns);
    for (std::size_t i = from; i < from + n; ++i) add(params, items[i]);
    auto r =
        co_await pool.query_params(std::string(head) + placeholders(n, columns), std::move(params));
    if (!r) co_return std::move(r).error();
  }
  co_return Status{};
}

asio::awaitable<Status> run(pg::Pool& pool, const char* sql) {
  auto r = co_await pool.query(sql);
  if (!r) co_return std::move(r).error();
  co_return Status{};
}

}  // namespace

DesiredLrp make_desired(const std::string& process_guid, int i) {
  const std::string app = process_guid.substr(0, 36);
  DesiredLrp d;
  d.process_guid = process_guid;
  d.domain = "cf-apps";
  d.root_fs = "preloaded:cupolafs";
  d.instances = 1;
  d.memory_mb = 256 << (i % 3);
  d.disk_mb = 1024;
  d.max_pids = 1024;
  d.cpu_weight = 10;
  d.env = {{"LANG", "en_US.UTF-8"}, {"PORT", "8080"}};
  d.action =
      R"({"run":{"path":"/tmp/lifecycle/launcher","args":["app","bundle exec rackup -p $PORT",)"
      R"("{}"],"user":"vcap","log_source":"APP/PROC/WEB"}})";
  d.monitor = R"({"run":{"path":"/tmp/lifecycle/healthcheck","args":["-port=8080"]}})";
  d.start_timeout_ms = 60'000;
  d.ports = {8080, 2222};
  d.routes = R"({"cf-router":[{"hostnames":["app-)" + std::to_string(i) +
             R"(.apps.example.com"],"port":8080}]})";
  d.log_guid = app;
  d.log_source = "CELL";
  d.metrics_guid = app;
  d.modification_tag = {guid(4'000'000 + i), 0};
  return d;
}

Fleet make_fleet(int lrps, int cells, std::int64_t now) {
  Fleet f;
  f.now = now;
  for (int c = 0; c < cells; ++c) f.cells.push_back(cell_name(c));
  f.desired.reserve(lrps);
  f.actual.reserve(lrps);
  for (int i = 0; i < lrps; ++i) {
    f.desired.push_back(make_desired(process_guid(i), i));
    f.actual.push_back(make_actual(f.desired.back(), i, f));
  }
  return f;
}

asio::awaitable<Status> load_fleet(pg::Pool& pool, const Fleet& f) {
  if (auto s = co_await insert_all(
          pool,
          "INSERT INTO desired_lrps (process_guid, domain, log_guid, annotation, instances, "
          "memory_mb, disk_mb, max_pids, rootfs, routes, placement_tags, "
          "modification_tag_epoch, modification_tag_index, record) VALUES ",
          14, f.desired, add_desired);
      !s) {
    co_return s;
  }
  if (auto s = co_await insert_all(
          pool,
          "INSERT INTO actual_lrps (process_guid, instance_index, presence, domain, "
          "instance_guid, cell_id, state, net_info, crash_count, crash_reason, placement_error, "
          "since, modification_tag_epoch, modification_tag_index, routable, availability_zone) "
          "VALUES ",
          16, f.actual, add_actual);
      !s) {
    co_return s;
  }
  for (const auto& cell : f.cells) {
    bbs::CellPresence p;
    p.cell_id = cell;
    p.rep_address = "nats";
    p.zone = "z1";
    p.capacity = {32768, 131072, 250};
    p.stacks = {"cupolafs"};
    auto r = co_await pool.query(
        "INSERT INTO cells (cell_id, presence, expire_time) VALUES ($1, $2, $3)", cell,
        bbs::to_json(p), std::numeric_limits<std::int64_t>::max());
    if (!r) co_return std::move(r).error();
  }
  auto r = co_await pool.query("INSERT INTO domains (domain, expire_time) VALUES ($1, $2)",
                               "cf-apps", std::numeric_limits<std::int64_t>::max());
  if (!r) co_return std::move(r).error();
  co_return co_await run(pool, "ANALYZE");
}

asio::awaitable<Status> save_crashed(pg::Pool& pool) {
  co_return co_await run(pool,
                         "CREATE TABLE bench_crashed AS SELECT * FROM actual_lrps "
                         "WHERE state = 'CRASHED'");
}

asio::awaitable<Status> restore_crashed(pg::Pool& pool) {
  if (auto s = co_await run(pool,
                            "DELETE FROM actual_lrps a USING bench_crashed c "
                            "WHERE a.process_guid = c.process_guid "
                            "AND a.instance_index = c.instance_index");
      !s) {
    co_return s;
  }
  co_return co_await run(pool, "INSERT INTO actual_lrps SELECT * FROM bench_crashed");
}

}  // namespace cupola::bench
