#include "diego/lifecycle/healthcheck/probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <string>
#include <utility>

#include "diego/lifecycle/errors.h"
#include "diego/lifecycle/healthcheck/http.h"
#include "diego/lifecycle/healthcheck/messages.h"

namespace cupola::lifecycle {
namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Target {
  sockaddr_storage addr{};
  socklen_t len = 0;
};

Target make_target(const std::string& host, std::uint16_t port) {
  Target t;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&t.addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&t.addr);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    t.len = sizeof(sockaddr_in);
  } else {
    // The options parser accepts numeric IPv4 and IPv6 addresses only.
    [[maybe_unused]] int ok = ::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr);
    assert(ok == 1);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    t.len = sizeof(sockaddr_in6);
  }
  return t;
}

// Waits until `fd` is ready for `events` or the deadline passes: 1 ready, 0 timed out,
// -1 failed (errno set).
int wait_for(int fd, short events, Clock::time_point deadline) {
  while (true) {
    auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(ms));
    if (r < 0 && errno == EINTR) continue;
    if (r != 0) return r < 0 ? -1 : 1;
  }
}

// Connects before the deadline. 0, or an errno value (ETIMEDOUT when the deadline passed).
int connect_before(const Target& t, Clock::time_point deadline, Socket& out) {
  int fd = ::socket(t.addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  Socket s(fd);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&t.addr), t.len) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) return errno;
    int r = wait_for(fd, POLLOUT, deadline);
    if (r == 0) return ETIMEDOUT;
    if (r < 0) return errno;
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
    if (err != 0) return err;
  }
  out.reset(s.release());
  return 0;
}

// Sends all of `data` before the deadline. 0, or an errno value.
int send_before(int fd, std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return errno;
    int r = wait_for(fd, POLLOUT, deadline);
    if (r == 0) return ETIMEDOUT;
    if (r < 0) return errno;
  }
  return 0;
}

Status tcp_check(const HealthcheckOptions& o, std::chrono::nanoseconds limit) {
  Socket s;
  int err = connect_before(make_target(o.host, o.port), Clock::now() + limit, s);
  if (err == 0) return {};
  if (err == ETIMEDOUT) return failure(std::errc::timed_out, tcp_timeout(o.port, limit));
  return errno_failure(err, tcp_failure(o.port, errno_reason(err)));
}

Status http_check(const HealthcheckOptions& o, std::chrono::nanoseconds limit) {
  const auto start = Clock::now();
  const auto deadline = start + limit;
  auto fail = [&](int err) {
    if (err == ETIMEDOUT) return failure(std::errc::timed_out, http_timeout(o.uri, o.port, limit));
    return errno_failure(err, http_failure(o.uri, o.port, errno_reason(err)));
  };

  Socket s;
  if (int err = connect_before(make_target(o.host, o.port), deadline, s)) return fail(err);
  if (int err = send_before(s.get(), http_request(o.host, o.port, o.uri), deadline)) {
    return fail(err);
  }

  // Read until the status is known and, within the limits, the rest of the response too:
  // closing with unread data would reset the connection under the app's feet.
  std::string received;
  std::optional<int> status;
  std::chrono::milliseconds elapsed{0};
  char buf[4096];
  while (true) {
    ResponseProgress p = scan_http_response(received);
    if (p.malformed) {
      return failure(std::errc::protocol_error,
                     http_failure(o.uri, o.port, "malformed HTTP response"));
    }
    if (p.status && !status) {
      status = p.status;
      elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    }
    if (status && (p.complete || received.size() >= kMaxResponseBytes)) break;
    int r = wait_for(s.get(), POLLIN, deadline);
    if (r <= 0) {
      if (status) break;
      return fail(r == 0 ? ETIMEDOUT : errno);
    }
    ssize_t n = ::recv(s.get(), buf, std::min(sizeof(buf), kMaxResponseBytes - received.size()), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) {
      if (status) break;
      if (n < 0) return fail(errno);
      return failure(std::errc::connection_aborted,
                     http_failure(o.uri, o.port, "connection closed before a response"));
    }
    received.append(buf, static_cast<std::size_t>(n));
  }
  if (*status == 200) return {};
  return failure(std::errc::protocol_error, http_status_failure(o.uri, o.port, *status, elapsed));
}

}  // namespace

Status check_once(const HealthcheckOptions& options, std::chrono::nanoseconds limit) {
  return options.uri.empty() ? tcp_check(options, limit) : http_check(options, limit);
}

}  // namespace cupola::lifecycle
