#pragma once

// HttpBbsClients of a real cupola-bbs (test/integration/bbs_fixture.h), driven from the
// test thread: each run() spawns the calls on a private io_context and runs it until they
// are done.

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "bbs/api/client/http_bbs_client.h"
#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"
#include "test/integration/bbs_fixture.h"

namespace cupola::bbs::test {

namespace asio = boost::asio;

// One nats-server for every BBS of the test binary.
inline cupola::testing::NatsServer& shared_nats() {
  static cupola::testing::NatsServer nats;
  return nats;
}

inline std::string base_url(unsigned short port) {
  return "http://127.0.0.1:" + std::to_string(port);
}

// Two clients with their own connection pools (two cells, say) on one io_context.
struct ClientHarness {
  explicit ClientHarness(std::string url)
      : transport(io.get_executor(), http::ClientOptions{}, log::Logger(sink, clock, "test")),
        other_transport(io.get_executor(), http::ClientOptions{}, log::Logger(sink, clock, "test")),
        bbs(transport, url),
        other(other_transport, url) {}

  template <class T>
  T run(asio::awaitable<T> op) {
    auto done = asio::co_spawn(io, std::move(op), asio::use_future);
    io.restart();
    io.run();
    REQUIRE(done.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    return done.get();
  }

  // Runs both calls concurrently.
  template <class A, class B>
  std::pair<A, B> run_both(asio::awaitable<A> a, asio::awaitable<B> b) {
    auto done_a = asio::co_spawn(io, std::move(a), asio::use_future);
    auto done_b = asio::co_spawn(io, std::move(b), asio::use_future);
    io.restart();
    io.run();
    REQUIRE(done_a.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    REQUIRE(done_b.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    return {done_a.get(), done_b.get()};
  }

  asio::io_context io;
  SystemClock clock;
  std::shared_ptr<log::MemorySink> sink = std::make_shared<log::MemorySink>();
  http::Client transport;
  http::Client other_transport;
  HttpBbsClient bbs;
  HttpBbsClient other;
};

// A real BBS on a fresh database, and clients of it.
struct BbsWithClients {
  cupola::test::BbsProcess process{shared_nats()};
  ClientHarness clients{base_url(process.port())};
  HttpBbsClient& bbs = clients.bbs;

  template <class T>
  T run(asio::awaitable<T> op) {
    return clients.run(std::move(op));
  }
};

inline DesiredLrp sample_lrp(const std::string& guid, std::int32_t instances) {
  DesiredLrp lrp;
  lrp.process_guid = guid;
  lrp.domain = "cf-apps";
  lrp.root_fs = "preloaded:cupolafs";
  lrp.instances = instances;
  lrp.memory_mb = 128;
  lrp.disk_mb = 256;
  lrp.env.push_back(EnvironmentVariable{"PORT", "8080"});
  lrp.action = R"({"run":{"path":"/tmp/lifecycle/launcher","args":["app"]}})";
  lrp.ports.push_back(8080);
  lrp.routes = R"({"cf-router":[{"hostnames":[")" + guid + R"(.example.com"],"port":8080}]})";
  lrp.log_guid = "log-" + guid;
  lrp.annotation = "etag-1";
  return lrp;
}

inline TaskDefinition sample_task() {
  TaskDefinition def;
  def.root_fs = "preloaded:cupolafs";
  def.action = R"({"run":{"path":"/bin/true"}})";
  def.memory_mb = 64;
  def.result_file = "/tmp/result";
  def.log_guid = "log-task";
  return def;
}

inline ActualLrpInstanceKey instance_on(const std::string& cell) {
  return ActualLrpInstanceKey{"ig-" + cell, cell};
}

inline ActualLrpStart start_on(const std::string& guid, std::int32_t index,
                               const std::string& cell) {
  ActualLrpStart start;
  start.key = ActualLrpKey{guid, index, "cf-apps"};
  start.instance_key = instance_on(cell);
  start.net_info.address = "10.0.0.7";
  start.net_info.ports.push_back(PortMapping{8080, 61001});
  start.availability_zone = "z1";
  return start;
}

}  // namespace cupola::bbs::test
