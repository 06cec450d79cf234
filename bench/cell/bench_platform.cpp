#include "bench/cell/bench_platform.h"

#include <cstdio>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "common/json/json.h"

namespace cupola::bench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A short batch window, as the integration tests use: only desire -> perform depends on it.
std::string auctioneer_config(unsigned short port, unsigned short bbs_port,
                              const std::string& nats_url) {
  return R"({"listen_address": "127.0.0.1:)" + std::to_string(port) +
         R"(", "bbs_url": "http://127.0.0.1:)" + std::to_string(bbs_port) +
         R"(", "nats_servers": [")" + nats_url +
         R"("], "batch_window": "50ms", "rep_timeout": "2s", "startup_timeout": "20s"})";
}

// Capacity for 50 instances of 64 MB with room to spare; the monitor's intervals are the
// rep's defaults, as a cell in production runs them. A short evacuation keeps a shutdown
// with instances left (after a failure) within the runner's grace period.
std::string rep_config(const std::string& depot, unsigned short bbs_port,
                       const std::string& nats_url) {
  return R"({"cell_id": ")" + std::string(CellPlatform::kCellId) +
         R"(", "listen_address": "127.0.0.1:0", "bbs_url": "http://127.0.0.1:)" +
         std::to_string(bbs_port) + R"(", "nats_servers": [")" + nats_url +
         R"("], "backend": "runc", "depot_dir": ")" + depot + R"(", "stack_dir": ")" +
         test::stack_dir() + R"(", "memory_mb": 8192, "disk_mb": 16384, "max_containers": 100,
          "first_port": )" +
         std::to_string(CellPlatform::kFirstPort) + R"(, "last_port": )" +
         std::to_string(CellPlatform::kLastPort) + R"(,
          "presence_ttl": "5s", "heartbeat_interval": "1s", "stop_grace": "2s",
          "evacuation_timeout": "3s", "default_start_timeout": "60s"})";
}

std::string member(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

std::vector<test::ActualView> parse_actual(const std::string& body) {
  auto doc = json::parse(body, {.max_bytes = body.size() + 1});
  if (!doc || !doc->IsObject() || !doc->HasMember("actual_lrps") ||
      !(*doc)["actual_lrps"].IsArray()) {
    throw std::runtime_error("unexpected answer to actual_lrps/list: " + body.substr(0, 300));
  }
  std::vector<test::ActualView> out;
  for (const auto& a : (*doc)["actual_lrps"].GetArray()) {
    test::ActualView v;
    v.index = a.HasMember("index") && a["index"].IsInt() ? a["index"].GetInt() : 0;
    v.state = member(a, "state");
    v.presence = member(a, "presence");
    v.cell_id = member(a, "cell_id");
    v.instance_guid = member(a, "instance_guid");
    v.crash_reason = member(a, "crash_reason");
    if (a.HasMember("crash_count") && a["crash_count"].IsInt()) {
      v.crash_count = a["crash_count"].GetInt();
    }
    if (a.HasMember("ports") && a["ports"].IsArray() && a["ports"].Size() > 0 &&
        a["ports"][0].HasMember("host_port") && a["ports"][0]["host_port"].IsUint()) {
      v.host_port = static_cast<unsigned short>(a["ports"][0]["host_port"].GetUint());
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

CellPlatform::CellPlatform()
    : client_(io_.get_executor(), http::ClientOptions{.request_timeout = kRequestTimeout},
              log::Logger(std::make_shared<log::StderrSink>(), clock_, "bench-cell",
                          log::Level::Error)) {
  bbs_ = std::make_unique<test::BbsProcess>(
      nats_, R"("auctioneer_url": "http://127.0.0.1:)" + std::to_string(auctioneer_port_) +
                 R"(", "converge_interval": "5s", "cell_check_interval": "1s")");
  auctioneer_ = std::make_unique<testing::ComponentRunner>(
      "cupola-auctioneer", "auctioneer",
      auctioneer_config(auctioneer_port_, bbs_->port(), nats_.url()));
  auctioneer_->start();
  rep_ = std::make_unique<testing::ComponentRunner>(
      "cupola-rep", "rep",
      rep_config((depot_.path() / "depot").string(), bbs_->port(), nats_.url()));
  rep_->start(30s);
}

CellPlatform::~CellPlatform() {
  // Only after a failure is anything left; the members then stop the processes in reverse.
  try {
    const std::set<std::string> left = desired_;
    for (const auto& guid : left) remove(guid);
    for (const auto& guid : left) {
      if (!test::eventually([&] { return actual(guid).empty(); }, kCleanupTimeout)) {
        std::fprintf(stderr, "cell bench: %s still has instances at shutdown\n", guid.c_str());
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cell bench: cleaning up: %s\n", e.what());
  }
  if (rep_ && rep_->running()) rep_->stop();
  testing::remove_cell_containers(depot_.path() / "depot");
}

http::ClientResponse CellPlatform::post(const std::string& path, std::string body) {
  auto done = asio::co_spawn(io_,
                             client_.post("http://127.0.0.1:" + std::to_string(bbs_->port()) + path,
                                          std::move(body), "application/json"),
                             asio::use_future);
  io_.restart();
  io_.run();
  auto res = done.get();
  if (!res) throw std::runtime_error(res.error().message);
  return std::move(res).value();
}

void CellPlatform::desire(const std::string& body, const std::string& process_guid) {
  desired_.insert(process_guid);
  auto res = post("/v1/desired_lrps/desire", body);
  if (!res.ok()) throw std::runtime_error("desiring " + process_guid + " failed: " + res.body);
}

void CellPlatform::remove(const std::string& process_guid) {
  auto res = post("/v1/desired_lrps/remove", R"({"process_guid": ")" + process_guid + R"("})");
  if (!res.ok()) throw std::runtime_error("removing " + process_guid + " failed: " + res.body);
  desired_.erase(process_guid);
}

std::vector<test::ActualView> CellPlatform::actual(const std::string& process_guid) {
  auto res = post("/v1/actual_lrps/list", R"({"process_guid": ")" + process_guid + R"("})");
  if (!res.ok()) throw std::runtime_error("listing actual LRPs failed: " + res.body);
  return parse_actual(res.body);
}

std::string web_lrp(const std::string& process_guid, int instances) {
  return R"({"desired_lrp": {"process_guid": ")" + process_guid +
         R"(", "domain": "cf-apps", "rootfs": "preloaded:cupolafs", "instances": )" +
         std::to_string(instances) + R"(, "memory_mb": 64, "disk_mb": 64, "ports": [8080],
         "start_timeout_ms": 60000,
         "action": {"run": {"path": "/bin/sh", "args": ["-c", "exec python3 -m http.server $PORT"],
                            "user": "vcap", "log_source": "APP/PROC/WEB"}},
         "monitor": {"run": {"path": "/bin/sh",
                             "args": ["-c", "exec /tmp/lifecycle/cupola-healthcheck --port $PORT"],
                             "user": "vcap", "log_source": "HEALTH"}}}})";
}

}  // namespace cupola::bench
