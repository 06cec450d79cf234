#pragma once

// Real cells: cupola-rep processes with the runc backend, next to a real BBS, auctioneer
// and nats-server, and the probes a test needs to watch apps from the outside.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/testing/process.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/integration/bbs_fixture.h"

namespace cupola::test {

using namespace std::chrono_literals;

inline std::string stack_dir() {
  const char* env = std::getenv("CUPOLA_STACK_DIR");
  return env != nullptr && *env != '\0' ? env : CUPOLA_DEFAULT_STACK_DIR;
}

// Polls `done` until it holds or `timeout` passes.
template <class F>
bool eventually(F done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = 100ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(every);  // polling interval; the deadline bounds the wait
  }
  return done();
}

// GET http://127.0.0.1:<port><path>: the status code, or 0 when nothing answered within
// `timeout`.
inline int http_status(unsigned short port, const std::string& path = "/",
                       std::chrono::milliseconds timeout = 2s) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int status = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[64] = {};
      ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      if (n > 12 && std::string_view(buf, 5) == "HTTP/") status = std::atoi(buf + 9);
    }
  }
  ::close(fd);
  return status;
}

// The pid of the process listening on 127.0.0.1 or 0.0.0.0 at `port` (the host's view),
// found through /proc; 0 when none.
inline pid_t pid_listening_on(unsigned short port) {
  std::string inode;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream f(line);
      std::string sl, local, remote, state, queues, timer, retr, uid, timeout, node;
      f >> sl >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> node;
      auto colon = local.rfind(':');
      if (state != "0A" || colon == std::string::npos) continue;
      if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inode = node;
    }
  }
  if (inode.empty()) return 0;
  std::string want = "socket:[" + inode + "]";
  std::error_code ec;
  for (const auto& p : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = p.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    for (const auto& fd : std::filesystem::directory_iterator(p.path() / "fd", ec)) {
      std::error_code lec;
      if (std::filesystem::read_symlink(fd.path(), lec).string() == want) {
        return static_cast<pid_t>(std::stoi(name));
      }
    }
  }
  return 0;
}

// Answers every POST with 200 and keeps the bodies: a task's completion callback.
class CallbackServer {
 public:
  CallbackServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0) {
      throw std::runtime_error("callback server: cannot listen");
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CallbackServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/done"; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  void serve() {
    for (int i = 0; i < 1000; ++i) {
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) return;
      timeval tv{5, 0};
      ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      std::string in;
      char buf[4096];
      std::size_t need = std::string::npos;
      while (in.size() < (1 << 20)) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<std::size_t>(n));
        auto end = in.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (need == std::string::npos) {
          std::size_t length = 0;
          std::string lower = in.substr(0, end);
          for (auto& ch : lower)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          auto cl = lower.find("content-length:");
          if (cl != std::string::npos) length = std::stoul(lower.substr(cl + 15));
          need = end + 4 + length;
        }
        if (in.size() >= need) break;
      }
      auto end = in.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::lock_guard lock(mu_);
        bodies_.push_back(in.substr(end + 4));
      }
      std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::send(c, ok.data(), ok.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }

  int fd_ = -1;
  unsigned short port_ = 0;
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

struct ActualView {
  int index = 0;
  std::string state, presence, cell_id, instance_guid, crash_reason;
  int crash_count = 0;
  unsigned short host_port = 0;
};

inline std::vector<ActualView> actual_lrps(BbsProcess& bbs, const std::string& guid) {
  std::vector<ActualView> out;
  auto doc = bbs.post_json("/v1/actual_lrps/list", R"({"process_guid": ")" + guid + R"("})");
  if (!doc.HasMember("actual_lrps")) return out;
  for (const auto& a : doc["actual_lrps"].GetArray()) {
    ActualView v;
    v.index = a["index"].GetInt();
    v.state = a["state"].GetString();
    if (a.HasMember("presence")) v.presence = a["presence"].GetString();
    if (a.HasMember("cell_id")) v.cell_id = a["cell_id"].GetString();
    if (a.HasMember("instance_guid")) v.instance_guid = a["instance_guid"].GetString();
    if (a.HasMember("crash_reason")) v.crash_reason = a["crash_reason"].GetString();
    if (a.HasMember("crash_count")) v.crash_count = a["crash_count"].GetInt();
    if (a.HasMember("ports") && a["ports"].IsArray() && a["ports"].Size() > 0) {
      v.host_port = static_cast<unsigned short>(a["ports"][0]["host_port"].GetUint());
    }
    out.push_back(std::move(v));
  }
  return out;
}

inline std::string describe(const std::vector<ActualView>& lrps) {
  std::string s;
  for (const auto& a : lrps) {
    s += std::to_string(a.index) + " " + a.state + " " + a.presence + " " + a.cell_id + " :" +
         std::to_string(a.host_port) + " crashes=" + std::to_string(a.crash_count) + " " +
         a.crash_reason + "\n";
  }
  return s;
}

// One cupola-rep on the runc backend. Its depot outlives a restart.
class RepProcess {
 public:
  // `lifecycle_dir`: where the launcher, healthcheck and builder come from ("": next to the
  // rep).
  RepProcess(std::string cell_id, unsigned first_port, BbsProcess& bbs, testing::NatsServer& nats,
             const std::string& backend = "runc", const std::string& lifecycle_dir = "")
      : cell_id_(std::move(cell_id)),
        config_(R"({"cell_id": ")" + cell_id_ + R"(", "listen_address": "127.0.0.1:0",
          "lifecycle_dir": ")" +
                lifecycle_dir + R"(",
          "bbs_url": "http://127.0.0.1:)" +
                std::to_string(bbs.port()) + R"(", "nats_servers": [")" + nats.url() +
                R"("], "backend": ")" + backend + R"(",
          "depot_dir": ")" +
                (depot_.path() / "depot").string() + R"(", "stack_dir": ")" + stack_dir() + R"(",
          "memory_mb": 1024, "disk_mb": 8192, "max_containers": 20,
          "first_port": )" +
                std::to_string(first_port) + R"(, "last_port": )" +
                std::to_string(first_port + 99) + R"(,
          "presence_ttl": "3s", "heartbeat_interval": "1s", "reconcile_interval": "2s",
          "unhealthy_interval": "500ms", "healthy_interval": "2s", "stop_grace": "2s",
          "evacuation_timeout": "60s", "default_start_timeout": "30s",
          "metrics_interval": "1s"})") {
    start();
  }
  ~RepProcess() {
    if (runner_ && runner_->running()) runner_->stop();
    testing::remove_cell_containers(depot_.path() / "depot");
  }

  void start() {
    runner_ = std::make_unique<testing::ComponentRunner>("cupola-rep", "rep", config_);
    runner_->start(30s);
  }
  void kill() { runner_->kill(); }
  int stop() { return runner_->stop(); }
  testing::Process& process() { return runner_->process(); }
  const std::string& cell_id() const { return cell_id_; }

 private:
  std::string cell_id_;
  testing::TempDir depot_{"rep-depot"};
  std::string config_;
  std::unique_ptr<testing::ComponentRunner> runner_;
};

}  // namespace cupola::test
