#pragma once

// The platform around one real cell for the benchmark: a private nats-server and Postgres, a
// cupola-bbs, a cupola-auctioneer and one cupola-rep on the runc backend (the integration
// tests' runners), sized so that 50 small instances fit on the cell at once.

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"
#include "common/testing/nats/nats_server.h"
#include "common/testing/runner.h"
#include "common/testing/temp_dir.h"
#include "test/integration/rep_fixture.h"

namespace cupola::bench {

// Not thread-safe: construct, use and destroy it on the main thread (the processes get
// SIGTERM when the thread that started them exits). Every call to the BBS is bounded by
// kRequestTimeout. Failures throw std::runtime_error: a component that does not start (with
// its output), a BBS that does not answer or answers an error.
class CellPlatform {
 public:
  static constexpr const char* kCellId = "bench-cell";
  static constexpr unsigned kFirstPort = 61500;
  static constexpr unsigned kLastPort = 61599;
  static constexpr std::chrono::seconds kRequestTimeout{10};
  static constexpr std::chrono::seconds kCleanupTimeout{30};

  CellPlatform();
  // Removes the LRPs still desired and waits (up to kCleanupTimeout) until the cell has
  // stopped their instances, so that the rep has nothing to evacuate; then stops the rep, the
  // auctioneer, the BBS and nats-server.
  ~CellPlatform();
  CellPlatform(const CellPlatform&) = delete;
  CellPlatform& operator=(const CellPlatform&) = delete;

  void desire(const std::string& body, const std::string& process_guid);
  void remove(const std::string& process_guid);
  std::vector<test::ActualView> actual(const std::string& process_guid);

  testing::Process& rep() { return rep_->process(); }
  unsigned short bbs_port() const { return bbs_->port(); }
  std::string nats_url() const { return nats_.url(); }
  // Where the rep writes each container's log (<instance guid>.log).
  std::filesystem::path container_logs() const { return depot_.path() / "depot" / ".logs"; }

 private:
  http::ClientResponse post(const std::string& path, std::string body);

  testing::NatsServer nats_;
  unsigned short auctioneer_port_ = testing::free_tcp_port();
  std::unique_ptr<test::BbsProcess> bbs_;
  std::unique_ptr<testing::ComponentRunner> auctioneer_;
  testing::TempDir depot_{"bench-cell-depot"};
  std::unique_ptr<testing::ComponentRunner> rep_;

  boost::asio::io_context io_;
  SystemClock clock_;
  http::Client client_;
  std::set<std::string> desired_;
};

// The app: python's HTTP server on $PORT, health-checked on it (the integration tests' web
// app), 64 MB of memory and disk.
std::string web_lrp(const std::string& process_guid, int instances);

}  // namespace cupola::bench
