// cupola-router end to end: its access log and the RTR logs it sends to apps.
#include <mutex>

#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include "common/core/base64.h"
#include "common/json/json.h"

#include "loggregator/api/codec.h"
#include "test/integration/router_fixture.h"

using namespace cupola;
using namespace cupola::test::router;

TEST_CASE("the access log has a line per request in gorouter's format") {
  testing::TempDir dir("router-log");
  std::string log = (dir / "access.log").string();
  testing::NatsServer nats;
  RouterProcess router(nats, R"("access_log_file": ")" + log + "\"");
  Publisher emitter(nats.url());
  auto a = backend("backend-a");
  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a"));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));
  router.get("app.example.com", "/logged?x=1", {{"User-Agent", "test-agent"}});
  router.get("missing.example.com", "/nowhere");
  std::string text;
  REQUIRE(eventually(
      [&] {
        text = testing::read_file(log);
        return text.find("/nowhere") != std::string::npos &&
               text.find("/logged?x=1") != std::string::npos;
      },
      5s));
  INFO(text);
  auto line_with = [&](std::string_view needle) {
    auto at = text.find(needle);
    if (at == std::string::npos) return std::string();
    auto begin = text.rfind('\n', at);
    begin = begin == std::string::npos ? 0 : begin + 1;
    return text.substr(begin, text.find('\n', at) - begin);
  };
  auto ok = line_with("/logged?x=1");
  CHECK(ok.find("app.example.com - [") == 0);
  CHECK(ok.find("\"GET /logged?x=1 HTTP/1.1\" 200 0 ") != std::string::npos);
  CHECK(ok.find("\"test-agent\"") != std::string::npos);
  CHECK(ok.find("app_id:\"" + std::string(kAppGuid) + "\"") != std::string::npos);
  CHECK(ok.find("x_cf_routererror:\"-\"") != std::string::npos);
  auto missing = line_with("/nowhere");
  CHECK(missing.find("\"GET /nowhere HTTP/1.1\" 404 ") != std::string::npos);
  CHECK(missing.find("x_cf_routererror:\"unknown_route\"") != std::string::npos);
}

TEST_CASE("each request reaches its app's logs as an RTR envelope on NATS") {
  testing::NatsServer nats;
  RouterProcess router(nats);
  Publisher emitter(nats.url());
  std::mutex mu;
  std::vector<std::string> batches;
  test::NatsPeer logs(nats.url(), "log-store");
  logs.subscribe(std::string("logs.") + kAppGuid, [&](nats::Message m) {
    std::lock_guard lock(mu);
    batches.push_back(m.data);
  });
  auto a = backend("backend-a");
  emitter.publish("router.register", registration("app.example.com", a->port(), "inst-a"));
  REQUIRE(eventually([&] { return router.get("app.example.com").result_int() == 200; }, 5s));
  router.get("app.example.com", "/rtr-logged");
  // Payloads are access log lines, base64-encoded.
  std::string line;
  REQUIRE(eventually(
      [&] {
        std::lock_guard lock(mu);
        for (const auto& b : batches) {
          // Lines travel in batches: any envelope of any batch may be this request's.
          auto batch = loggregator::decode_batch(b);
          if (!batch) continue;
          for (const auto& e : *batch) {
            if (e.tags.count("source_type") == 0 || e.tags.at("source_type") != "RTR") continue;
            if (e.source_id != kAppGuid || !e.log()) continue;
            if (e.log()->payload.find("/rtr-logged") != std::string::npos) line = e.log()->payload;
          }
        }
        return !line.empty();
      },
      5s));
  INFO(line);
  CHECK(line.find("app.example.com - [") == 0);
  CHECK(line.find("\"GET /rtr-logged HTTP/1.1\" 200") != std::string::npos);
}
