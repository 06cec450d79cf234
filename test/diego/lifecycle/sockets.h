#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cupola::lifecycle::test {

// A TCP socket bound to 127.0.0.1 on a port of the kernel's choosing. Until listen() it
// refuses connections; after it, the kernel completes handshakes into the backlog whether or
// not anyone accepts.
class BoundSocket {
 public:
  BoundSocket();  // throws std::system_error
  ~BoundSocket();
  BoundSocket(const BoundSocket&) = delete;
  BoundSocket& operator=(const BoundSocket&) = delete;

  std::uint16_t port() const { return port_; }
  int fd() const { return fd_; }
  void listen();
  void close();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A tiny HTTP/1.1 server on 127.0.0.1 answering every request on its own thread with the
// status `status_for(n)` gives the n-th request (from 1), then closing the connection.
class TestHttpServer {
 public:
  explicit TestHttpServer(std::function<int(int)> status_for);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::uint16_t port() const { return socket_.port(); }
  int requests() const { return requests_.load(); }
  std::vector<std::string> request_heads() const;

 private:
  void serve();
  void answer(int conn);

  std::function<int(int)> status_for_;
  BoundSocket socket_;
  int wake_[2] = {-1, -1};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace cupola::lifecycle::test
