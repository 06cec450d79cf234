// HttpBbsClient::subscribe_events against a real cupola-bbs, and transport failures.

#include <future>

#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>

#include "bbs/api/client/event_stream.h"
#include "bbs/api/models/errors.h"
#include "test/bbs/api/client/client_harness.h"

namespace cupola::bbs::test {
namespace {

using namespace std::chrono_literals;

// Desires one instance, claims, starts and crashes it; cancels the subscription when a
// call fails so the test cannot wait for events that will never come.
asio::awaitable<Status> make_changes(BbsClient& bbs, http::CancelToken subscription) {
  auto fail = [&](Status s) {
    subscription.cancel();
    return s;
  };
  DesiredLrp lrp = sample_lrp("app-ev", 1);
  if (auto s = co_await bbs.desire_lrp(lrp); !s) co_return fail(std::move(s));
  auto instance = instance_on("cell-1");
  if (auto s = co_await bbs.claim_actual_lrp("app-ev", 0, instance); !s) {
    co_return fail(std::move(s));
  }
  ActualLrpStart start = start_on("app-ev", 0, "cell-1");
  if (auto s = co_await bbs.start_actual_lrp(start); !s) co_return fail(std::move(s));
  if (auto s = co_await bbs.crash_actual_lrp(start.key, start.instance_key, "oom"); !s) {
    co_return fail(std::move(s));
  }
  co_return Status{};
}

}  // namespace

TEST_CASE("HttpBbsClient event subscription", "[integration]") {
  BbsWithClients t;
  EventSubscriptionOptions options;
  options.idle_timeout = 10s;

  SECTION("when records change, their events arrive in order and decode to the records") {
    std::future<Status> writes;
    options.on_subscribed = [&] {
      writes = asio::co_spawn(t.clients.io, make_changes(t.clients.other, options.cancel),
                              asio::use_future);
    };
    std::vector<Event> events;
    auto on_event = [&](const Event& e) {
      events.push_back(e);
      return e.type != event_types::kActualLrpCrashed;
    };
    Status s = t.run(t.bbs.subscribe_events(on_event, options));
    REQUIRE(writes.valid());
    REQUIRE(writes.wait_for(0s) == std::future_status::ready);
    auto written = writes.get();
    INFO((written ? "" : written.error().message));
    REQUIRE(written.ok());
    REQUIRE(s.ok());

    std::vector<std::string> types;
    for (const auto& e : events) types.push_back(e.type);
    REQUIRE(types == std::vector<std::string>{"desired_lrp_created", "actual_lrp_created",
                                              "actual_lrp_changed", "actual_lrp_changed",
                                              "actual_lrp_crashed"});
    auto desired = decode_desired_lrp(events[0]);
    REQUIRE(desired.ok());
    CHECK(desired->process_guid == "app-ev");
    CHECK(desired->routes == sample_lrp("app-ev", 1).routes);

    auto created = decode_actual_lrp(events[1]);
    REQUIRE(created.ok());
    CHECK(created->key == ActualLrpKey{"app-ev", 0, "cf-apps"});
    CHECK(created->state == ActualLrpState::Unclaimed);

    auto claimed = decode_actual_lrp_change(events[2]);
    REQUIRE(claimed.ok());
    CHECK(claimed->before.state == ActualLrpState::Unclaimed);
    CHECK(claimed->after.state == ActualLrpState::Claimed);
    CHECK(claimed->after.instance_key == instance_on("cell-1"));

    auto started = decode_actual_lrp_change(events[3]);
    REQUIRE(started.ok());
    CHECK(started->before.state == ActualLrpState::Claimed);
    CHECK(started->after.state == ActualLrpState::Running);
    CHECK(started->after.net_info == start_on("app-ev", 0, "cell-1").net_info);
    CHECK(started->before.modification_tag.succeeded_by(started->after.modification_tag));

    auto crash = decode_actual_lrp_crash(events[4]);
    REQUIRE(crash.ok());
    CHECK(crash->key.process_guid == "app-ev");
    CHECK(crash->instance_key == instance_on("cell-1"));
    CHECK(crash->crash_count == 1);
    CHECK(crash->crash_reason == "oom");
  }
  SECTION("when it is cancelled, it ends with Errc::Cancelled") {
    bool subscribed = false;
    options.on_subscribed = [&] {
      subscribed = true;
      options.cancel.cancel();
    };
    auto on_event = [](const Event&) { return true; };
    Status s = t.run(t.bbs.subscribe_events(on_event, options));
    CHECK(subscribed);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == Errc::Cancelled);
  }
}

TEST_CASE("HttpBbsClient with nothing listening fails with Errc::Unavailable", "[integration]") {
  unsigned short port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io,
                                  asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }  // closed: connections to the port are refused
  ClientHarness clients(base_url(port));

  auto desired = clients.run(clients.bbs.desire_lrp(sample_lrp("app", 1)));
  REQUIRE_FALSE(desired.ok());
  CHECK(desired.error().code == Errc::Unavailable);
  CHECK(desired.error().message.find("/v1/desired_lrps/desire") != std::string::npos);

  auto listed = clients.run(clients.bbs.actual_lrps(ActualLrpQuery{}));
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().code == Errc::Unavailable);

  auto on_event = [](const Event&) { return true; };
  auto events = clients.run(clients.bbs.subscribe_events(on_event, EventSubscriptionOptions{}));
  REQUIRE_FALSE(events.ok());
  CHECK(events.error().code == Errc::Unavailable);
}

}  // namespace cupola::bbs::test
