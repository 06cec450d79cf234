#include <catch2/catch.hpp>

#include <boost/asio/post.hpp>

#include "common/http/client/client.h"
#include "common/http/client/sse_client.h"
#include "test/common/http/client/client_fixture.h"
#include "test/common/http/client/test_server.h"

namespace cupola::http {

using namespace std::chrono_literals;
using testing::ClientFixture;
using testing::Reply;
using testing::TestServer;
using testing::WireRequest;

namespace {

Reply sse(std::vector<std::string> chunks, bool gated, bool hang = false) {
  Reply r;
  r.kind = Reply::Kind::Chunked;
  r.content_type = "text/event-stream";
  r.chunks = std::move(chunks);
  r.gated = gated;
  r.hang_after_chunks = hang;
  return r;
}

}  // namespace

TEST_CASE("Client streaming", "[integration]") {
  TestServer server([](const WireRequest& req, std::size_t) {
    if (req.target() == "/gated") return sse({"one;", "two;", "three;"}, true);
    if (req.target() == "/missing") return Reply{.status = 404, .body = "no such stream"};
    return Reply{.body = "plain"};
  });
  ClientFixture f;
  StreamOptions options;
  options.idle_timeout = 5s;

  SECTION("when the server flushes pieces one at a time, each arrives before the next is sent") {
    // The server sends a piece only after the client saw the previous one, so a client
    // that buffered the body would time out instead.
    std::vector<std::string> pieces;
    auto on_body = [&](std::string_view piece) {
      pieces.emplace_back(piece);
      server.open_gate();
      return true;
    };
    auto r = f.run(f.client.stream(ClientRequest{.url = server.url("/gated")}, on_body, options));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(r->body.empty());
    CHECK(pieces == std::vector<std::string>{"one;", "two;", "three;"});
    CHECK(f.client.idle_connections() == 1);  // the finished stream's connection is reusable
  }

  SECTION("when the status is not 2xx, the body comes back whole and no piece is delivered") {
    int calls = 0;
    auto r = f.run(f.client.stream(
        ClientRequest{.url = server.url("/missing")}, [&](std::string_view) { return ++calls > 0; },
        options));
    REQUIRE(r.ok());
    CHECK(r->status == 404);
    CHECK(r->body == "no such stream");
    CHECK(calls == 0);
  }

  SECTION("when a body has a length, it is streamed too") {
    std::string body;
    auto r = f.run(f.client.stream(
        ClientRequest{.url = server.url("/plain")},
        [&](std::string_view p) {
          body += p;
          return true;
        },
        options));
    REQUIRE(r.ok());
    CHECK(body == "plain");
  }
}

TEST_CASE("consume_sse", "[integration]") {
  TestServer server([](const WireRequest& req, std::size_t) {
    if (req.target() == "/events") {
      return sse({"event: task_created\nid: 1\ndata: {\"a\":1}\n\n",
                  ": keep-alive\r\ndata: line1\r\ndata: line2\r\n\r\n", "id: 3\ndata: last\n\n"},
                 true);
    }
    if (req.target() == "/split") return sse({"data: hel", "lo\n", "\n", "data: x\n\n"}, false);
    if (req.target() == "/one-then-quiet") return sse({"data: first\n\n"}, false, true);
    if (req.target() == "/huge") return sse({"data: " + std::string(5000, 'x') + "\n\n"}, false);
    if (req.target() == "/last-id") {
      return sse({"data: " + std::string(req["Last-Event-ID"]) + "\n\n"}, false);
    }
    if (req.target() == "/json") return Reply{.content_type = "application/json", .body = "{}"};
    return Reply{.status = 404, .body = "not here"};
  });
  ClientFixture f;
  SseOptions options;
  options.stream.idle_timeout = 5s;
  std::vector<SseEvent> events;

  SECTION("when the server flushes events one by one, each is delivered as it arrives") {
    auto on_event = [&](const SseEvent& e) {
      events.push_back(e);
      server.open_gate();
      return true;
    };
    auto r = f.run(consume_sse(f.client, server.url("/events"), on_event, options));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    REQUIRE(events.size() == 3);
    CHECK(events[0].event == "task_created");
    CHECK(events[0].id == "1");
    CHECK(events[0].data == "{\"a\":1}");
    CHECK(events[1].event == "message");
    CHECK(events[1].id == "1");
    CHECK(events[1].data == "line1\nline2");
    CHECK(events[2].id == "3");
    CHECK(events[2].data == "last");
  }

  auto collect = [&](const SseEvent& e) {
    events.push_back(e);
    return true;
  };

  SECTION("when events are split across chunks, they are reassembled") {
    auto r = f.run(consume_sse(f.client, server.url("/split"), collect, options));
    REQUIRE(r.ok());
    REQUIRE(events.size() == 2);
    CHECK(events[0].data == "hello");
    CHECK(events[1].data == "x");
  }

  SECTION("when the handler returns false, the stream stops") {
    auto r = f.run(consume_sse(
        f.client, server.url("/one-then-quiet"),
        [&](const SseEvent& e) {
          events.push_back(e);
          return false;
        },
        options));
    REQUIRE(r.ok());
    CHECK(events.size() == 1);
    CHECK(f.client.idle_connections() == 0);
  }

  SECTION("when cancelled while waiting for more, the stream ends with Cancelled") {
    options.stream.cancel = CancelToken();
    auto token = options.stream.cancel;
    auto r = f.run(consume_sse(
        f.client, server.url("/one-then-quiet"),
        [&](const SseEvent& e) {
          events.push_back(e);
          // Fires once the client is waiting for the next bytes.
          boost::asio::post(f.io, [token]() mutable { token.cancel(); });
          return true;
        },
        options));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Cancelled);
    CHECK(events.size() == 1);
  }

  SECTION("when the server goes quiet longer than the idle timeout, the error is Timeout") {
    options.stream.idle_timeout = 200ms;
    auto r = f.run(consume_sse(f.client, server.url("/one-then-quiet"), collect, options));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Timeout);
    CHECK_THAT(r.error().message, Catch::Contains("timed out after 200ms"));
    CHECK(events.size() == 1);
  }

  SECTION("when an event is larger than the limit, the error is LimitExceeded") {
    options.max_event_bytes = 1000;
    auto r = f.run(consume_sse(f.client, server.url("/huge"), collect, options));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::LimitExceeded);
    CHECK_THAT(r.error().message, Catch::Contains(server.url("/huge")));
    CHECK(events.empty());
  }

  SECTION("when a last event id is given, it is sent as Last-Event-ID") {
    options.last_event_id = "42";
    auto r = f.run(consume_sse(f.client, server.url("/last-id"), collect, options));
    REQUIRE(r.ok());
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "42");
  }

  SECTION("when the response is not an event stream, the error is InvalidArgument") {
    auto r = f.run(consume_sse(f.client, server.url("/json"), collect, options));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK_THAT(r.error().message, Catch::Contains("application/json"));
  }

  SECTION("when the status is an error, the response comes back with its body") {
    auto r = f.run(consume_sse(f.client, server.url("/nope"), collect, options));
    REQUIRE(r.ok());
    CHECK(r->status == 404);
    CHECK(r->body == "not here");
    CHECK(events.empty());
  }
}

}  // namespace cupola::http
