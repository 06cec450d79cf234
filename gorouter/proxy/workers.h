#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "common/core/result.h"
#include "gorouter/proxy/proxy_session.h"

namespace cupola::router {

// The proxy's event loops: one thread and io_context each, every loop accepting on its own
// SO_REUSEPORT socket of the same address, so the kernel spreads connections and each
// connection stays on the loop that accepted it (with that loop's backend connections and
// route snapshot).
class Workers {
 public:
  Workers(ProxyContext& ctx, int threads, std::size_t max_idle_backend_connections);
  ~Workers();
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  // Binds every loop to address:port (port 0: one free port for all). Errors: Unavailable.
  Status listen(const std::string& address, std::uint16_t port);
  // The same for TLS connections, terminated with `tls_context` (which must outlive this).
  Status listen_tls(const std::string& address, std::uint16_t port,
                    boost::asio::ssl::context& tls_context);
  std::uint16_t port() const { return port_; }
  std::uint16_t tls_port() const { return tls_port_; }
  void start();
  // Stops accepting; connections in flight go on.
  void stop_accepting();
  // Stops the loops (connections still open are dropped) and joins their threads.
  void join();

 private:
  struct Loop;
  ProxyContext& ctx_;
  std::vector<std::unique_ptr<Loop>> loops_;
  Status bind_all(const std::string& address, std::uint16_t& port, bool tls);

  std::uint16_t port_ = 0;
  std::uint16_t tls_port_ = 0;
  boost::asio::ssl::context* tls_context_ = nullptr;
};

}  // namespace cupola::router
