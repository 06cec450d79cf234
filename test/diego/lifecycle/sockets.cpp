#include "test/diego/lifecycle/sockets.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

namespace cupola::lifecycle::test {

BoundSocket::BoundSocket() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    ::close(fd_);
    throw std::system_error(err, std::generic_category(), "bind 127.0.0.1:0");
  }
  port_ = ntohs(addr.sin_port);
}

BoundSocket::~BoundSocket() { close(); }

void BoundSocket::listen() {
  if (::listen(fd_, 64) != 0) throw std::system_error(errno, std::generic_category(), "listen");
}

void BoundSocket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

TestHttpServer::TestHttpServer(std::function<int(int)> status_for)
    : status_for_(std::move(status_for)) {
  socket_.listen();
  if (::pipe2(wake_, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
  thread_ = std::thread([this] { serve(); });
}

TestHttpServer::~TestHttpServer() {
  (void)!::write(wake_[1], "x", 1);
  thread_.join();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

std::vector<std::string> TestHttpServer::request_heads() const {
  std::lock_guard lock(mu_);
  return heads_;
}

void TestHttpServer::serve() {
  while (true) {
    pollfd fds[2] = {{socket_.fd(), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    int conn = ::accept4(socket_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    answer(conn);
    ::close(conn);
  }
}

void TestHttpServer::answer(int conn) {
  // The request head, within 8 KiB and 5 s.
  std::string head;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  char buf[1024];
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{conn, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return;
    ssize_t n = ::recv(conn, buf, sizeof(buf), 0);
    if (n <= 0) return;
    head.append(buf, static_cast<std::size_t>(n));
  }
  int n = ++requests_;
  {
    std::lock_guard lock(mu_);
    heads_.push_back(head);
  }
  int status = status_for_(n);
  std::string body = "status " + std::to_string(status) + "\n";
  std::string response =
      "HTTP/1.1 " + std::to_string(status) +
      " Whatever\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  (void)!::send(conn, response.data(), response.size(), MSG_NOSIGNAL);
}

}  // namespace cupola::lifecycle::test
