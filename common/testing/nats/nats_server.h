#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/testing/process.h"

namespace cupola::testing {

// A private nats-server on 127.0.0.1 and a port of its own, for tests. It can be stopped and
// started again on the same port (to test reconnects). Stopped in the destructor. Not
// thread-safe: drive it from one thread.
class NatsServer {
 public:
  enum class Start { Now, Later };

  // Picks a free port; with Start::Now also starts the server (throws std::runtime_error,
  // with its output, when it is not accepting connections within the start timeout).
  explicit NatsServer(Start when = Start::Now);
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // Starts the server on its port and waits until it accepts connections. No-op when running.
  void start();
  // Stops the server (SIGTERM, then SIGKILL) and waits until it has exited.
  void stop();
  bool running() const { return process_ != nullptr; }

  // "nats://127.0.0.1:<port>".
  std::string url() const;
  unsigned short port() const { return port_; }
  // The server's output so far, for failure messages.
  std::string output() const;

  static constexpr std::chrono::seconds kStartTimeout{10};

 private:
  bool try_start();

  unsigned short port_ = 0;
  std::unique_ptr<Process> process_;
  std::string last_output_;  // of the last process, once it is gone
};

}  // namespace cupola::testing
