#include "common/http/client/sse_parser.h"

#include <catch2/catch.hpp>

namespace cupola::http {

namespace {

std::vector<SseEvent> feed_all(SseParser& p, std::string_view bytes) {
  auto events = p.feed(bytes);
  REQUIRE(events.ok());
  return std::move(events).value();
}

// Feeds `bytes` one byte at a time and collects every event.
std::vector<SseEvent> feed_bytewise(SseParser& p, std::string_view bytes) {
  std::vector<SseEvent> all;
  for (char c : bytes) {
    for (auto& e : feed_all(p, std::string_view(&c, 1))) all.push_back(std::move(e));
  }
  return all;
}

}  // namespace

TEST_CASE("SseParser") {
  SseParser p;

  SECTION("when an event ends with a blank line, it is dispatched with defaults") {
    auto events = feed_all(p, "data: hello\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].event == "message");
    CHECK(events[0].data == "hello");
    CHECK(events[0].id.empty());
    CHECK_FALSE(events[0].retry.has_value());
  }

  SECTION("when there are several data lines, they are joined with newlines") {
    auto events = feed_all(p, "data: a\ndata:b\ndata\ndata:  c\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "a\nb\n\n c");
  }

  SECTION("when event and id are given, they are reported and the id carries over") {
    auto events = feed_all(p, "event: task_changed\nid: 7\ndata: {}\n\ndata: x\n\n");
    REQUIRE(events.size() == 2);
    CHECK(events[0].event == "task_changed");
    CHECK(events[0].id == "7");
    CHECK(events[1].event == "message");
    CHECK(events[1].id == "7");
    CHECK(p.last_event_id() == "7");
  }

  SECTION("when an id contains NUL, it is ignored") {
    auto events = feed_all(p, std::string_view("id: 1\n\nid: a\0b\ndata: x\n\n", 25));
    REQUIRE(events.size() == 1);
    CHECK(events[0].id == "1");
  }

  SECTION("when lines are comments, they are ignored") {
    auto events = feed_all(p, ": keep-alive\n:\ndata: x\n: more\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "x");
  }

  SECTION("when a block has no data, nothing is dispatched and its event type is dropped") {
    auto events = feed_all(p, "event: ping\n\ndata: x\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].event == "message");
  }

  SECTION("when retry is numeric, it is reported; otherwise ignored") {
    auto events = feed_all(p, "retry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\n");
    REQUIRE(events.size() == 2);
    REQUIRE(events[0].retry.has_value());
    CHECK(events[0].retry->count() == 1500);
    CHECK_FALSE(events[1].retry.has_value());
    CHECK(p.retry()->count() == 1500);
  }

  SECTION("when fields are unknown, they are ignored") {
    auto events = feed_all(p, "foo: bar\ndata: x\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "x");
  }

  SECTION("when lines end in CRLF, LF or CR, all are understood") {
    auto events = feed_all(p, "data: a\r\n\r\ndata: b\r\rdata: c\n\n");
    REQUIRE(events.size() == 3);
    CHECK(events[0].data == "a");
    CHECK(events[1].data == "b");
    CHECK(events[2].data == "c");
  }

  SECTION("when input arrives one byte at a time, including inside CRLF, events are the same") {
    auto events = feed_bytewise(p, "id: 1\r\nevent: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\r");
    REQUIRE(events.size() == 2);
    CHECK(events[0].id == "1");
    CHECK(events[0].event == "e");
    CHECK(events[0].data == "a\nb");
    CHECK(events[1].data == "c");
  }

  SECTION("when a CR ends one feed and LF starts the next, that is one line break") {
    CHECK(feed_all(p, "data: a\r").empty());
    CHECK(feed_all(p, "\n").empty());
    auto events = feed_all(p, "\r\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "a");
  }

  SECTION("when the stream starts with a BOM, even split, it is skipped") {
    auto events = feed_bytewise(p,
                                "\xEF\xBB\xBF"
                                "data: x\n\n");
    REQUIRE(events.size() == 1);
    CHECK(events[0].data == "x");
  }

  SECTION("when an event is unfinished, it is not dispatched") {
    CHECK(feed_all(p, "data: partial\n").empty());
    CHECK(feed_all(p, "data: more").empty());
  }

  SECTION("when an event grows past the limit, the parser fails and stays failed") {
    SseParser small(16);
    CHECK(small.feed("data: 0123\n").ok());
    auto r = small.feed("data: 0123456789\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::LimitExceeded);
    CHECK_THAT(r.error().message, Catch::Contains("16 bytes"));
    CHECK_FALSE(small.feed("\n").ok());
  }

  SECTION("when a single line without an end grows past the limit, the parser fails") {
    SseParser small(16);
    auto r = small.feed(std::string(40, 'x'));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::LimitExceeded);
  }

  SECTION("when events stay under the limit, many in a row are fine") {
    SseParser small(16);
    for (int i = 0; i < 100; ++i) {
      auto r = small.feed("data: 0123\n\n");
      REQUIRE(r.ok());
      REQUIRE(r->size() == 1);
    }
  }
}

}  // namespace cupola::http
