// The BBS at 100,000 LRPs on a private Postgres: 100,000 desired LRPs of one instance and
// their 100,000 actual rows over 100 cells. Times actual_lrps/list and desired_lrps/list
// through a real cupola-bbs process, one convergence pass over the Postgres stores
// (in-process), and desire throughput over a few connections. Also splits each number into
// its phases. Prints a table and one BENCH line per case; it never fails on timing.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "bbs/api/codec/codec.h"
#include "bbs/src/controllers/lrp_controller.h"
#include "bbs/src/controllers/outbound.h"
#include "bbs/src/convergence/lrp_convergence.h"
#include "bbs/src/converger/converger.h"
#include "bbs/src/db/pg/actual_lrp_db.h"
#include "bbs/src/db/pg/actual_lrp_rows.h"
#include "bbs/src/db/pg/cell_db.h"
#include "bbs/src/db/pg/desired_lrp_db.h"
#include "bbs/src/db/pg/task_db.h"
#include "bbs/src/events/event_hub.h"
#include "bbs/src/handlers/common.h"
#include "bench/bbs/fleet.h"
#include "bench/bbs/timed_stores.h"
#include "common/http/client/client.h"
#include "common/json/json.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/postgres/postgres_server.h"
#include "common/testing/runner.h"

namespace {

namespace asio = boost::asio;
namespace bbs = cupola::bbs;
namespace bench = cupola::bench;
namespace pg = cupola::pg;
namespace http = cupola::http;
namespace testing = cupola::testing;
using bench::detail::Stopwatch;
using cupola::Result;

constexpr int kLrps = 100'000;
constexpr int kCells = 100;
constexpr int kRuns = 3;
constexpr int kDesires = 2'000;
constexpr int kDesireConnections = 4;

struct Stats {
  double min = 0, median = 0, max = 0;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v.front(), v[v.size() / 2], v.back()};
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().message);
  return std::move(r).value();
}

void must(const cupola::Status& s, const char* what) {
  if (!s) throw std::runtime_error(std::string(what) + ": " + s.error().message);
}

// The port cupola-bbs logged in its "bbs.http.listening" line.
unsigned short listening_port(testing::Process& p) {
  unsigned short port = 0;
  p.wait_for_line(
      [&](std::string_view line) {
        auto doc = cupola::json::parse(line);
        if (!doc || !doc->IsObject() || !doc->HasMember("message")) return false;
        if (std::string_view((*doc)["message"].GetString()) != "bbs.http.listening") return false;
        port = static_cast<unsigned short>((*doc)["data"]["port"].GetInt());
        return true;
      },
      std::chrono::seconds(10));
  if (port == 0) throw std::runtime_error("cupola-bbs did not log its port");
  return port;
}

// Elements of the array under `key` in a list response.
std::size_t count_items(const std::string& body, const char* key) {
  auto doc = cupola::json::parse(body, {.max_bytes = body.size() + 1});
  if (!doc || !doc->IsObject() || !doc->HasMember(key) || !(*doc)[key].IsArray()) return 0;
  return (*doc)[key].Size();
}

struct ListResult {
  Stats ms;
  std::size_t items = 0;
  double mb = 0;
};

// One unmeasured request (checks the answer), then kRuns measured ones.
ListResult time_list(asio::io_context& io, http::Client& client, const std::string& url,
                     const char* key) {
  auto post = [&]() -> asio::awaitable<Result<http::ClientResponse>> {
    co_return co_await client.post(url, "{}", "application/json");
  };
  auto first = must(run(io, post()), url.c_str());
  if (!first.ok()) throw std::runtime_error(url + ": HTTP " + std::to_string(first.status));
  ListResult r;
  r.items = count_items(first.body, key);
  r.mb = static_cast<double>(first.body.size()) / (1 << 20);
  std::vector<double> times;
  for (int i = 0; i < kRuns; ++i) {
    Stopwatch w;
    auto res = must(run(io, post()), url.c_str());
    times.push_back(w.ms());
    if (!res.ok()) throw std::runtime_error(url + ": HTTP " + std::to_string(res.status));
  }
  r.ms = stats(times);
  return r;
}

// In-process phases of a listing: the SELECT alone, the store call (SELECT + decoding),
// and encoding the response body.
struct ListPhases {
  double query_ms = 0, store_ms = 0, encode_ms = 0;
};

template <class List>
ListPhases list_phases(asio::io_context& io, pg::Pool& pool, const std::string& select,
                       const char* key, List list) {
  std::vector<double> q, s, e;
  for (int i = 0; i < kRuns; ++i) {
    Stopwatch wq;
    must(run(io, pool.query(select)), "select");
    q.push_back(wq.ms());
    Stopwatch ws;
    auto rows = must(run(io, list()), "store list");
    s.push_back(ws.ms());
    Stopwatch we;
    auto body = bbs::list_json(key, rows);
    e.push_back(we.ms());
  }
  return {stats(q).median, stats(s).median, stats(e).median};
}

struct ConvergePass {
  double ms = 0;
  bench::StoreTimes store;
  std::size_t auctions = 0;
};

class Desirer {
 public:
  Desirer(http::Client& client, std::string url) : client_(client), url_(std::move(url)) {}

  // Sends requests numbered next_.. until `total` are sent; several of these share the count.
  asio::awaitable<void> worker(int total) {
    while (next_ < total) {
      const int i = next_++;
      const auto d = bench::make_desired("bench-desire-" + std::to_string(i), kLrps + i);
      cupola::json::Writer w;
      w.start_object().key("desired_lrp");
      bbs::write(w, d);
      w.end_object();
      auto res = co_await client_.post(url_, w.str(), "application/json");
      if (res && res->ok()) {
        ++ok_;
      } else {
        ++failed_;
        if (first_error_.empty()) first_error_ = res ? res->body : res.error().message;
      }
    }
  }
  int ok() const { return ok_; }
  int failed() const { return failed_; }
  const std::string& first_error() const { return first_error_; }

 private:
  http::Client& client_;
  std::string url_;
  int next_ = 0;
  int ok_ = 0;
  int failed_ = 0;
  std::string first_error_;
};

struct NoCompletions final : bbs::TaskCompletionSink {
  void task_completed(const bbs::Task&) override {}
};
struct NoReps final : bbs::RepClient {
  void stop_lrp_instance(const bbs::ActualLrp&) override {}
  void cancel_task(const std::string&, const std::string&) override {}
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_bench() {
  std::printf("starting postgres and nats-server...\n");
  std::fflush(stdout);
  testing::NatsServer nats;
  testing::PostgresServer postgres;
  const std::string database = postgres.fresh_database("bbs");
  const std::string conninfo = postgres.conninfo(database);

  // The process migrates the empty database before the fleet is loaded; its first
  // convergence pass is an hour away, so it never competes with the measurements.
  testing::ComponentRunner bbs_runner(
      "cupola-bbs", "bbs",
      R"({"listen_address": "127.0.0.1:0", "database": ")" + conninfo + R"(", "nats_servers": [")" +
          nats.url() + R"("], "startup_timeout": "20s", "converge_interval": "1h"})");
  bbs_runner.start();
  const unsigned short port = listening_port(bbs_runner.process());

  asio::io_context io;
  const std::int64_t now = unix_now();
  cupola::FakeClock clock{cupola::Clock::time_point{std::chrono::nanoseconds(now)}};
  cupola::RandomGuidGenerator guids(7);
  auto sink = std::make_shared<cupola::log::MemorySink>();
  cupola::log::Logger logger(sink, clock, "bench", cupola::log::Level::Info);
  pg::Pool pool(io.get_executor(), pg::PoolOptions{.conninfo = conninfo, .max_size = 8}, logger);

  Stopwatch gen;
  const bench::Fleet fleet = bench::make_fleet(kLrps, kCells, now);
  const double gen_ms = gen.ms();
  Stopwatch load;
  must(run(io, bench::load_fleet(pool, fleet)), "loading the fleet");
  must(run(io, bench::save_crashed(pool)), "saving crashed rows");
  const double load_ms = load.ms();
  std::printf(
      "fleet: %d desired LRPs, %zu actual LRPs over %d cells (generated in %.0f ms, "
      "loaded in %.0f ms)\n",
      kLrps, fleet.actual.size(), kCells, gen_ms, load_ms);

  // (1), (2): listings through the process.
  http::Client client(io.get_executor(),
                      http::ClientOptions{.request_timeout = std::chrono::seconds(120),
                                          .max_body_bytes = std::size_t{1} << 30},
                      logger);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  const auto actual_http = time_list(io, client, base + "/v1/actual_lrps/list", "actual_lrps");
  const auto desired_http = time_list(io, client, base + "/v1/desired_lrps/list", "desired_lrps");

  bbs::PgActualLrpDb actual_db(pool);
  bbs::PgDesiredLrpDb desired_db(pool);
  const auto actual_phases =
      list_phases(io, pool,
                  std::string("SELECT ") + bbs::pg_rows::kActualLrpColumns +
                      " FROM actual_lrps ORDER BY process_guid, instance_index, presence",
                  "actual_lrps", [&] { return actual_db.list({}); });
  const auto desired_phases =
      list_phases(io, pool,
                  "SELECT record, modification_tag_epoch, modification_tag_index FROM desired_lrps "
                  "ORDER BY process_guid",
                  "desired_lrps", [&] { return desired_db.list({}); });

  // (3): convergence passes over the Postgres stores, each from the same state.
  bench::StoreTimes times;
  bench::TimedActualLrpDb actual(actual_db, times);
  bench::TimedDesiredLrpDb desired(desired_db, times);
  bbs::PgTaskDb tasks(pool);
  bbs::PgCellDb cells(pool);
  bbs::PgDomainDb domains(pool);
  bbs::EventHub events(io.get_executor());
  bbs::PendingAuctioneerClient auctioneer;
  NoReps reps;
  NoCompletions completions;
  bbs::LrpController lrps(
      {desired, actual, cells, events, auctioneer, reps, clock, guids, logger.session("lrps")});
  bbs::Converger converger(
      io.get_executor(), {},
      bbs::ConvergerDeps{desired, actual, tasks, cells, domains, events, auctioneer, completions,
                         lrps, clock, guids, logger.session("converger"),
                         []() -> asio::awaitable<bool> { co_return true; }});

  // The pure decision on the same input, and what it asks for.
  bbs::LrpConvergenceInput input;
  input.desired = must(run(io, desired_db.list({})), "desired list");
  input.actual = must(run(io, actual_db.list({})), "actual list");
  for (const auto& c : fleet.cells) input.live_cells.insert(c);
  input.fresh_domains = {"cf-apps"};
  input.now = now;
  std::vector<double> pure_times;
  bbs::LrpConvergenceResult decided;
  for (int i = 0; i < kRuns; ++i) {
    Stopwatch w;
    decided = bbs::converge_lrps(input);
    pure_times.push_back(w.ms());
  }
  const double pure_ms = stats(pure_times).median;
  input = {};

  std::vector<ConvergePass> passes;
  for (int i = 0; i < kRuns; ++i) {
    must(run(io, bench::restore_crashed(pool)), "restoring crashed rows");
    times.reset();
    const auto auctions_before = auctioneer.lrp_requests;
    Stopwatch w;
    must(run(io, converger.converge_once()), "convergence pass");
    passes.push_back({w.ms(), times, auctioneer.lrp_requests - auctions_before});
  }
  std::vector<double> pass_ms;
  for (const auto& p : passes) pass_ms.push_back(p.ms);
  const Stats converge = stats(pass_ms);
  const ConvergePass& mid =
      *std::find_if(passes.begin(), passes.end(), [&](auto& p) { return p.ms == converge.median; });

  // (4): desire throughput.
  Desirer desirer(client, base + "/v1/desired_lrps/desire");
  Stopwatch dw;
  {
    std::vector<std::future<void>> workers;
    for (int c = 0; c < kDesireConnections; ++c) {
      workers.push_back(asio::co_spawn(io, desirer.worker(kDesires), asio::use_future));
    }
    io.restart();
    io.run();
    for (auto& f : workers) f.get();
  }
  const double desire_s = dw.ms() / 1000;
  const double records_per_s = desirer.ok() / desire_s;

  std::printf("\n%-14s %6s %9s %9s %9s  %s\n", "case", "runs", "min ms", "median ms", "max ms",
              "notes");
  std::printf("%-14s %6d %9.0f %9.0f %9.0f  %zu items, %.1f MB body\n", "actual_list", kRuns,
              actual_http.ms.min, actual_http.ms.median, actual_http.ms.max, actual_http.items,
              actual_http.mb);
  std::printf("%-14s %6d %9.0f %9.0f %9.0f  %zu items, %.1f MB body\n", "desired_list", kRuns,
              desired_http.ms.min, desired_http.ms.median, desired_http.ms.max, desired_http.items,
              desired_http.mb);
  std::printf("%-14s %6d %9.0f %9.0f %9.0f  %lld rows written, %zu auctions requested\n",
              "converge", kRuns, converge.min, converge.median, converge.max,
              static_cast<long long>(mid.store.rows_written), mid.auctions);
  std::printf("%-14s %6d %9s %9s %9s  %.0f records/s over %d connections (%d ok, %d failed)\n",
              "desire", kDesires, "", "", "", records_per_s, kDesireConnections, desirer.ok(),
              desirer.failed());
  if (!desirer.first_error().empty()) {
    std::printf("  first desire error: %s\n", desirer.first_error().c_str());
  }

  std::printf("\nwhere the time goes (in-process medians, ms)\n");
  std::printf("  actual list:  SELECT %.0f, decode %.0f, JSON encode %.0f; HTTP rest %.0f\n",
              actual_phases.query_ms, actual_phases.store_ms - actual_phases.query_ms,
              actual_phases.encode_ms,
              actual_http.ms.median - actual_phases.store_ms - actual_phases.encode_ms);
  std::printf("  desired list: SELECT %.0f, decode %.0f, JSON encode %.0f; HTTP rest %.0f\n",
              desired_phases.query_ms, desired_phases.store_ms - desired_phases.query_ms,
              desired_phases.encode_ms,
              desired_http.ms.median - desired_phases.store_ms - desired_phases.encode_ms);
  const double other =
      mid.ms - mid.store.desired_list_ms - mid.store.actual_list_ms - mid.store.mutate_ms;
  std::printf(
      "  converge:     desired list %.0f, actual list %.0f, writes %.0f "
      "(%lld transactions), rest %.0f (pure converge_lrps alone: %.0f)\n",
      mid.store.desired_list_ms, mid.store.actual_list_ms, mid.store.mutate_ms,
      static_cast<long long>(mid.store.mutates), other, pure_ms);
  std::printf(
      "  converge_lrps decided: %zu changes, %zu creations, %zu deletions, %zu "
      "retirements, %zu start requests\n",
      decided.changes.size(), decided.creations.size(), decided.deletions.size(),
      decided.retirements.size(), decided.start_requests.size());

  std::printf("\nBENCH name=bbs case=actual_list lrps=%d ms=%.0f\n", kLrps, actual_http.ms.median);
  std::printf("BENCH name=bbs case=desired_list lrps=%d ms=%.0f\n", kLrps, desired_http.ms.median);
  std::printf("BENCH name=bbs case=converge lrps=%d ms=%.0f\n", kLrps, converge.median);
  std::printf("BENCH name=bbs case=desire records_per_s=%.0f\n", records_per_s);
  return 0;
}

}  // namespace

int main() {
  try {
    return run_bench();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bbs bench: %s\n", e.what());
    return 1;
  }
}
