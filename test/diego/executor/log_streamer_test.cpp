#include "diego/executor/log_streamer.h"

#include <sstream>

#include <catch2/catch.hpp>

#include "common/core/clock.h"
#include "common/json/json.h"
#include "common/testing/temp_dir.h"

using namespace cupola;
using namespace cupola::executor;

namespace {

std::vector<std::string> split(LineSplitter& s, const std::vector<std::string>& chunks,
                               bool flush = false) {
  std::vector<std::string> lines;
  auto emit = [&](std::string_view l) { lines.emplace_back(l); };
  for (const auto& c : chunks) s.write(c, emit);
  if (flush) s.flush(emit);
  return lines;
}

std::vector<std::string> file_lines(const std::filesystem::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(cupola::testing::read_file(path));
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

}  // namespace

TEST_CASE("output is split into lines") {
  LineSplitter s(16);

  SECTION("at \\n and \\r, keeping a partial line until it ends") {
    CHECK(split(s, {"one\ntw", "o\r\nthree"}) == std::vector<std::string>{"one", "two"});
    CHECK(split(s, {"\n"}) == std::vector<std::string>{"three"});
  }
  SECTION("flush emits the partial line; empty lines are dropped") {
    CHECK(split(s, {"\n\n\rtail"}, true) == std::vector<std::string>{"tail"});
  }
  SECTION("long lines are cut into pieces of the limit") {
    CHECK(split(s, {std::string(20, 'x'), "y\n"}) ==
          std::vector<std::string>{std::string(16, 'x'), "xxxxy"});
  }
  SECTION("a cut never splits a UTF-8 character") {
    // 15 ASCII bytes then "é" (two bytes): the piece ends before it.
    auto lines = split(s, {std::string(15, 'a') + "\xC3\xA9" + "b\n"});
    CHECK(lines == std::vector<std::string>{std::string(15, 'a'),
                                            "\xC3\xA9"
                                            "b"});
  }
}

TEST_CASE("invalid UTF-8 becomes U+FFFD") {
  CHECK(sanitize_utf8("ok \xC3\xA9") == "ok \xC3\xA9");
  CHECK(sanitize_utf8("bad \xFF!") == "bad \xEF\xBF\xBD!");
  CHECK(sanitize_utf8("cut \xE2\x82") == "cut \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(sanitize_utf8("overlong \xC0\xAF") == "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("a container's log file holds one JSON object per line") {
  cupola::testing::TempDir dir("executor-logs");
  FakeClock clock;
  auto path = dir / "container.log";
  auto opened = open_log_file(
      LogFileOptions{.path = path.string(), .source_name = "APP/PROC/WEB", .instance_index = 2},
      clock);
  REQUIRE(opened.ok());
  auto app = *opened;
  auto staging = app->with_source("STG");
  auto same = app->with_source("");

  app->out("listening on 8080\npart");
  staging->err("Downloading droplet failed\n");
  clock.advance(std::chrono::seconds(1));
  app->out("ial\n");
  same->out("\"quoted\" \xFF\n");
  app->err("no newline");
  app->flush();

  auto lines = file_lines(path);
  REQUIRE(lines.size() == 5);
  struct Line {
    std::int64_t timestamp;
    std::string source, stream, message;
    int index;
  };
  std::vector<Line> read;
  for (const auto& l : lines) {
    auto doc = json::parse(l);
    REQUIRE(doc.ok());
    json::ObjectReader r(*doc);
    Line x{};
    r.required("timestamp", x.timestamp);
    r.required("source_type", x.source);
    r.required("instance_index", x.index);
    r.required("stream", x.stream);
    r.required("message", x.message);
    REQUIRE(r.ok());
    read.push_back(x);
  }
  auto t0 = unix_nanos(FakeClock{}.now());
  CHECK(read[0].timestamp == t0);
  CHECK(read[0].source == "APP/PROC/WEB");
  CHECK(read[0].stream == "OUT");
  CHECK(read[0].message == "listening on 8080");
  CHECK(read[0].index == 2);
  CHECK(read[1].source == "STG");
  CHECK(read[1].stream == "ERR");
  CHECK(read[1].message == "Downloading droplet failed");
  CHECK(read[2].message == "partial");
  CHECK(read[2].timestamp == t0 + 1'000'000'000);
  CHECK(read[3].source == "APP/PROC/WEB");
  CHECK(read[3].message == "\"quoted\" \xEF\xBF\xBD");
  CHECK(read[4].stream == "ERR");
  CHECK(read[4].message == "no newline");

  SECTION("a file that cannot be opened is an error") {
    auto bad = open_log_file(LogFileOptions{.path = (dir / "missing" / "x.log").string()}, clock);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == make_error_code(Errc::Unavailable));
  }
}

TEST_CASE("a buffer streamer keeps output up to its limit") {
  auto buffer = std::make_shared<BufferLogStreamer>("HEALTH", 8);
  buffer->out("abc\n");
  buffer->with_source("OTHER")->err("defgh");
  CHECK(buffer->contents() == "abc\ndefg");
  CHECK(buffer->source_name() == "HEALTH");
}
