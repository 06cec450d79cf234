#include "common/testing/nats/nats_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "common/testing/temp_dir.h"

namespace cupola::testing {
namespace {

constexpr int kPortAttempts = 3;

bool accepts_connections(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

NatsServer::NatsServer(Start when) : port_(free_tcp_port()) {
  if (when == Start::Later) return;
  // The free port may be taken by someone else before the server binds it: pick another.
  for (int attempt = 1; attempt <= kPortAttempts; ++attempt) {
    if (try_start()) return;
    if (attempt < kPortAttempts) port_ = free_tcp_port();
  }
  throw std::runtime_error("nats-server did not start: " + output());
}

NatsServer::~NatsServer() { stop(); }

void NatsServer::start() {
  if (running()) return;
  if (!try_start()) throw std::runtime_error("nats-server did not start: " + output());
}

bool NatsServer::try_start() {
  last_output_.clear();
  ProcessOptions options;
  options.path = "nats-server";
  options.args = {"-a", "127.0.0.1", "-p", std::to_string(port_)};
  process_ = std::make_unique<Process>(std::move(options));
  bool ready = process_->wait_for_line(
      [](std::string_view line) { return line.find("Server is ready") != std::string_view::npos; },
      kStartTimeout);
  if (ready && accepts_connections(port_)) return true;
  last_output_ = process_->output();
  process_->stop(std::chrono::seconds(2));
  process_.reset();
  return false;
}

void NatsServer::stop() {
  if (!process_) return;
  last_output_ = process_->output();
  process_->stop(std::chrono::seconds(5));
  process_.reset();
}

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::output() const { return process_ ? process_->output() : last_output_; }

}  // namespace cupola::testing
