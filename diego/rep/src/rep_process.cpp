#include "diego/rep/src/rep_process.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "bbs/api/client/http_bbs_client.h"
#include "common/component/component.h"
#include "common/config/config.h"
#include "common/core/guid.h"
#include "common/http/client/client.h"
#include "common/http/server.h"
#include "common/json/json.h"
#include "common/nats/announcer.h"
#include "common/nats/client.h"
#include "common/service/step_service.h"
#include "diego/garden/process/process_backend.h"
#include "diego/garden/runc/runc_backend.h"
#include "diego/rep/src/cell.h"
#include "diego/rep/src/executor_steps.h"
#include "diego/rep/src/rep_service.h"

namespace cupola::rep {
namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// Container calls block on runc, mkfs and mount, mostly waiting rather than computing:
// enough threads that 50 instances starting at once do not queue behind each other.
constexpr std::size_t kBlockingThreads = 16;

std::string own_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

std::int64_t host_memory_mb() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::int64_t kb = 0;
  std::string unit;
  while (in >> key >> kb >> unit) {
    if (key == "MemTotal:") return kb / 1024;
  }
  return 1024;
}

std::int64_t host_disk_mb(const std::string& dir) {
  struct statvfs v {};
  if (::statvfs(dir.c_str(), &v) != 0) return 1024;
  return static_cast<std::int64_t>(v.f_blocks * v.f_frsize / (1024 * 1024));
}

std::unique_ptr<garden::Backend> open_backend(const RepConfig& c, const log::Logger& log) {
  if (c.backend == "runc" || c.backend == "auto") {
    garden::RuncBackendOptions o;
    o.depot_dir = c.depot_dir;
    o.stack_dir = c.stack_dir;
    o.init_path = own_dir() + "/cupola-garden-init";
    o.cgroup_parent = "cupola-" + c.cell_id;
    auto runc = garden::RuncBackend::open(o, log.session("garden-runc"));
    if (runc) return std::move(*runc);
    if (c.backend == "runc") {
      throw std::runtime_error("the runc backend is not available: " + runc.error().message);
    }
    log.info("using-process-backend", {{"why", runc.error().message}});
  }
  auto process = garden::ProcessBackend::open({c.depot_dir}, log.session("garden-process"));
  if (!process) throw std::runtime_error(process.error().message);
  return std::move(*process);
}

// The binaries that run inside containers, copied where they are bind-mounted from
// (/tmp/lifecycle), so that containers see those and nothing else of the host.
std::string prepare_lifecycle(const RepConfig& c) {
  if (!c.lifecycle_dir.empty()) return c.lifecycle_dir;
  std::string dir = c.depot_dir + "/.lifecycle";
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const char* name : {"cupola-launcher", "cupola-healthcheck"}) {
    fs::path from = fs::path(own_dir()) / name;
    if (!fs::exists(from)) throw std::runtime_error(from.string() + " is missing");
    fs::copy_file(from, fs::path(dir) / name, fs::copy_options::overwrite_existing, ec);
    if (ec) throw std::runtime_error("cannot copy " + from.string() + ": " + ec.message());
  }
  // The staging lifecycle, when it was built: without it staging tasks fail, apps still run.
  fs::path builder = fs::path(own_dir()) / "cupola-builder";
  if (fs::exists(builder)) {
    fs::copy_file(builder, fs::path(dir) / "cupola-builder", fs::copy_options::overwrite_existing,
                  ec);
    if (ec) throw std::runtime_error("cannot copy " + builder.string() + ": " + ec.message());
  }
  return dir;
}

// Container metrics as Cloud Foundry's cells send them: a gauge envelope per instance with
// cpu (percent of one core over the last interval), memory, disk and their quotas.
void send_container_metrics(loggregator::LogClient& logs, const Clock& clock,
                            const std::string& metrics_guid, std::int32_t index,
                            const garden::Metrics& now, const garden::Metrics* before,
                            std::chrono::nanoseconds elapsed) {
  double cpu = 0;
  if (before != nullptr && elapsed.count() > 0 && now.cpu_ns >= before->cpu_ns) {
    cpu = 100.0 * static_cast<double>(now.cpu_ns - before->cpu_ns) /
          static_cast<double>(elapsed.count());
  }
  loggregator::Envelope e;
  e.timestamp = unix_nanos(clock.now());
  e.source_id = metrics_guid;
  e.instance_id = std::to_string(index);
  e.tags["origin"] = "cupola-rep";
  loggregator::Gauge g;
  g.metrics["cpu"] = {"percentage", cpu};
  g.metrics["memory"] = {"bytes", static_cast<double>(now.memory_bytes)};
  g.metrics["disk"] = {"bytes", static_cast<double>(now.disk_bytes)};
  g.metrics["memory_quota"] = {"bytes", static_cast<double>(now.memory_limit_bytes)};
  g.metrics["disk_quota"] = {"bytes", static_cast<double>(now.disk_limit_bytes)};
  e.message = std::move(g);
  logs.emit(std::move(e));
}

CellOptions cell_options(const RepConfig& c, loggregator::LogClient* logs, const Clock& clock) {
  CellOptions o;
  o.cell_id = c.cell_id;
  o.zone = c.zone;
  o.host_address = c.host_address;
  o.stacks = c.stacks;
  o.placement_tags = c.placement_tags;
  o.optional_placement_tags = c.optional_placement_tags;
  o.lifecycle_dir = prepare_lifecycle(c);
  o.scratch_dir = c.depot_dir + "/.scratch";
  o.first_port = c.first_port;
  o.last_port = c.last_port;
  o.stop_grace = c.stop_grace;
  o.monitor.start_timeout = c.default_start_timeout;
  o.monitor.unhealthy_interval = c.unhealthy_interval;
  o.monitor.healthy_interval = c.healthy_interval;
  if (logs != nullptr) {
    o.on_metrics = [logs, &clock](const std::string& guid, std::int32_t index,
                                  const garden::Metrics& now, const garden::Metrics* before,
                                  std::chrono::nanoseconds elapsed) {
      send_container_metrics(*logs, clock, guid, index, now, before, elapsed);
    };
  }
  return o;
}

std::string containers_json(const std::vector<ContainerReport>& containers) {
  json::Writer w;
  w.start_object().key("containers").start_array();
  for (const auto& c : containers) {
    w.start_object()
        .field("guid", c.guid)
        .field("kind", c.kind)
        .field("process_guid", c.process_guid)
        .field("index", c.index)
        .field("phase", c.phase);
    w.key("ports").start_array();
    for (const auto& p : c.ports) {
      w.start_object()
          .field("container_port", p.container_port)
          .field("host_port", p.host_port)
          .end_object();
    }
    w.end_array();
    w.key("metrics")
        .start_object()
        .field("cpu_ns", c.metrics.cpu_ns)
        .field("memory_bytes", c.metrics.memory_bytes)
        .field("memory_limit_bytes", c.metrics.memory_limit_bytes)
        .field("disk_bytes", c.metrics.disk_bytes)
        .field("disk_limit_bytes", c.metrics.disk_limit_bytes)
        .end_object();
    w.end_object();
  }
  w.end_array().end_object();
  return w.str();
}

}  // namespace

struct RepProcess {
  RepProcess(const RepConfig& c, ServiceContext& ctx)
      : ex(ctx.io.get_executor()),
        log(ctx.log),
        pool(kBlockingThreads),
        nats(ex, nats::ClientOptions{.servers = c.nats_servers, .name = "cupola-rep"}, log),
        http_client(ex, http::ClientOptions{.request_timeout = std::chrono::seconds(10)},
                    log.session("bbs-client")),
        bbs(http_client, c.bbs_url),
        downloads(ex, http::ClientOptions{.request_timeout = std::chrono::minutes(10)},
                  log.session("downloads")),
        app_logs(std::make_shared<loggregator::LogClient>(
            ex, nats, ctx.clock, loggregator::BatcherOptions{}, log.session("app-logs"))),
        backend(open_backend(c, log)),
        steps(make_executor_steps(
            ex, pool, downloads,
            ExecutorStepsOptions{
                .cache_dir = c.cache_dir.empty() ? c.depot_dir + "/.cache" : c.cache_dir,
                .cache_max_bytes = static_cast<std::uint64_t>(c.cache_max_mb) << 20,
                .logs_dir = c.depot_dir + "/.logs",
                .scratch_dir = c.depot_dir + "/.scratch",
                .stop_grace = c.stop_grace,
                .app_logs = app_logs.get()},
            ctx.clock, log.session("executor"))),
        cell(ex, cell_options(c, app_logs.get(), ctx.clock),
             auction::Resources{c.memory_mb > 0 ? c.memory_mb : host_memory_mb(),
                                c.disk_mb > 0 ? c.disk_mb : host_disk_mb(c.depot_dir),
                                c.max_containers},
             bbs, *backend, pool, *steps, guids, ctx.clock, log.session("cell")) {}
  ~RepProcess() { pool.join(); }

  asio::any_io_executor ex;
  log::Logger log;
  asio::thread_pool pool;
  RandomGuidGenerator guids;
  nats::Client nats;
  http::Client http_client;
  bbs::HttpBbsClient bbs;
  http::Client downloads;
  std::shared_ptr<loggregator::LogClient> app_logs;
  std::unique_ptr<garden::Backend> backend;
  std::unique_ptr<StepBuilder> steps;
  Cell cell;
};

std::shared_ptr<RepProcess> build_rep(const RepConfig& c, ServiceContext& ctx) {
  std::error_code ec;
  for (const auto& d : {c.depot_dir, c.depot_dir + "/.scratch", c.depot_dir + "/.logs"}) {
    fs::create_directories(d, ec);
    if (ec) throw std::runtime_error("cannot create " + d + ": " + ec.message());
  }
  auto p = std::make_shared<RepProcess>(c, ctx);
  auto* raw = p.get();
  raw->log.info("backend", {{"name", std::string(raw->backend->name())},
                            {"memory_mb", raw->cell.state().total.memory_mb},
                            {"disk_mb", raw->cell.state().total.disk_mb}});

  component::add_nats(ctx.group, raw->ex, raw->nats);
  // Stopped after the cell, so the last lines of stopping instances go out too.
  ctx.group.add(raw->app_logs);

  http::Router router;
  router.get("/v1/containers", [raw](http::RequestContext&) -> asio::awaitable<http::Response> {
    co_return http::json_response(http::StatusCode::ok, containers_json(raw->cell.containers()));
  });
  auto server = component::add_http_server(ctx.group, raw->ex, c.listen_address, std::move(router),
                                           raw->nats, raw->log);
  server->varz().gauge("rep.instances",
                       [raw] { return static_cast<std::int64_t>(raw->cell.instance_count()); });
  server->varz().gauge("rep.tasks",
                       [raw] { return static_cast<std::int64_t>(raw->cell.task_count()); });
  server->varz().gauge("rep.available_memory_mb",
                       [raw] { return raw->cell.state().available.memory_mb; });
  component::add_announcer(ctx.group, raw->nats, "rep", c.listen_address, *server, raw->log,
                           c.cell_id);

  RepServiceOptions o;
  o.presence_ttl = c.presence_ttl;
  o.heartbeat_interval = c.heartbeat_interval;
  o.reconcile_interval = c.reconcile_interval;
  o.metrics_interval = c.metrics_interval;
  o.evacuation_timeout = c.evacuation_timeout;
  ctx.group.add(std::make_shared<RepService>(raw->ex, raw->cell, raw->bbs, raw->nats, o,
                                             raw->log.session("rep")));
  return p;
}

}  // namespace cupola::rep
