#include "cli/src/log_line.h"

#include <cstdlib>
#include <ctime>

#include <catch2/catch.hpp>

#include "common/core/base64.h"

using namespace cupola;
using namespace cupola::cli;

namespace {

// 2026-05-04T13:02:11.375Z
constexpr std::int64_t kAt = 1777899731'375'000'000;

LogEnvelope web_log(std::string message, bool is_error = false) {
  return LogEnvelope{kAt, "APP/PROC/WEB", "0", std::move(message), is_error};
}

std::string envelope_json(std::string_view timestamp, std::string_view log) {
  return "{\"timestamp\":" + std::string(timestamp) +
         ",\"source_id\":\"app-guid\",\"instance_id\":\"1\","
         "\"tags\":{\"source_type\":\"APP/PROC/WEB\"},\"log\":" +
         std::string(log) + "}";
}

std::string read_response(std::string_view batch) {
  return "{\"envelopes\":{\"batch\":[" + std::string(batch) + "]}}";
}

}  // namespace

TEST_CASE("log lines as cf prints them") {
  SECTION("when in UTC, the example line") {
    CHECK(format_log_line(web_log("listening on 8080"), false, 0) ==
          "   2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] OUT listening on 8080\n");
  }
  SECTION("when east of UTC, the wall clock there and its offset") {
    CHECK(format_log_line(web_log("listening on 8080"), false, 330) ==
          "   2026-05-04T18:32:11.37+0530 [APP/PROC/WEB/0] OUT listening on 8080\n");
  }
  SECTION("when west of UTC, across midnight") {
    CHECK(format_log_timestamp(1777852800'000'000'000, -420) == "2026-05-03T17:00:00.00-0700");
    CHECK(format_log_timestamp(1777852800'000'000'000 - 1, 0) == "2026-05-03T23:59:59.99+0000");
  }
  SECTION("when the line is an error it says ERR, and color makes all but the indent red") {
    CHECK(format_log_line(web_log("boom", true), false, 0) ==
          "   2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] ERR boom\n");
    CHECK(format_log_line(web_log("boom", true), true, 0) ==
          "   \x1b[31m2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] ERR boom\x1b[0m\n");
  }
  SECTION("when the line is OUT, color changes nothing") {
    CHECK(format_log_line(web_log("fine"), true, 0) == format_log_line(web_log("fine"), false, 0));
  }
  SECTION("when the instance id is empty the slash stays, as cf prints it") {
    LogEnvelope e{kAt, "STG", "", "-----> Downloading buildpack", false};
    CHECK(format_log_line(e, false, 0) ==
          "   2026-05-04T13:02:11.37+0000 [STG/] OUT -----> Downloading buildpack\n");
  }
  SECTION("when the message has several lines each gets the full header") {
    CHECK(format_log_line(web_log("panic: oops\r\ngoroutine 1\n"), false, 0) ==
          "   2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] OUT panic: oops\n"
          "   2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] OUT goroutine 1\n");
  }
  SECTION("when a multi-line error is colored each line is red on its own") {
    CHECK(format_log_line(web_log("a\nb", true), true, 0) ==
          "   \x1b[31m2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] ERR a\x1b[0m\n"
          "   \x1b[31m2026-05-04T13:02:11.37+0000 [APP/PROC/WEB/0] ERR b\x1b[0m\n");
  }
}

TEST_CASE("the local offset from UTC") {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  ::setenv("TZ", "Asia/Kolkata", 1);
  ::tzset();
  int india = local_utc_offset_minutes(1777899731);
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  int utc = local_utc_offset_minutes(1777899731);
  if (old) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  CHECK(utc == 0);
  // Without zone data on the machine, Asia/Kolkata reads as UTC too.
  CHECK((india == 330 || india == 0));
}

TEST_CASE("parsing the log store's read responses") {
  std::vector<LogEnvelope> logs;
  std::string error;
  std::string hello = base64_encode("hello\n");

  SECTION("when timestamps are strings and types names, logs come out in order") {
    std::string body = read_response(
        envelope_json("\"1795556642848860407\"",
                      "{\"payload\":\"" + hello + "\",\"type\":\"OUT\"}") +
        "," +
        envelope_json("\"1795556642848860408\"",
                      "{\"payload\":\"" + base64_encode("bad") + "\",\"type\":\"ERR\"}"));
    REQUIRE(parse_log_envelopes(body, logs, error));
    REQUIRE(logs.size() == 2);
    CHECK(logs[0] == LogEnvelope{1795556642848860407, "APP/PROC/WEB", "1", "hello\n", false});
    CHECK(logs[1] == LogEnvelope{1795556642848860408, "APP/PROC/WEB", "1", "bad", true});
  }
  SECTION("when timestamps are numbers and types 0 or 1, they read the same") {
    std::string body = read_response(
        envelope_json("1795556642848860407", "{\"payload\":\"" + hello + "\",\"type\":1}") + "," +
        envelope_json("5", "{\"payload\":\"" + hello + "\",\"type\":0}"));
    REQUIRE(parse_log_envelopes(body, logs, error));
    REQUIRE(logs.size() == 2);
    CHECK(logs[0].timestamp_ns == 1795556642848860407);
    CHECK(logs[0].is_error);
    CHECK(logs[1].timestamp_ns == 5);
    CHECK_FALSE(logs[1].is_error);
  }
  SECTION("when a log leaves out its type and instance, it is OUT from no instance") {
    REQUIRE(parse_log_envelopes(
        read_response("{\"timestamp\":\"7\",\"log\":{\"payload\":\"" + hello + "\"}}"), logs,
        error));
    REQUIRE(logs.size() == 1);
    CHECK(logs[0] == LogEnvelope{7, "", "", "hello\n", false});
  }
  SECTION("when envelopes are not logs they are skipped") {
    std::string body = read_response(
        "{\"timestamp\":\"1\",\"source_id\":\"app-guid\",\"gauge\":{\"metrics\":{}}}," +
        envelope_json("\"2\"", "{\"payload\":\"" + hello + "\"}") +
        ",{\"timestamp\":\"3\",\"counter\":{\"name\":\"requests\",\"total\":\"4\"}}");
    REQUIRE(parse_log_envelopes(body, logs, error));
    REQUIRE(logs.size() == 1);
    CHECK(logs[0].timestamp_ns == 2);
  }
  SECTION("when the read found nothing the result is empty") {
    CHECK(parse_log_envelopes("{\"envelopes\":{\"batch\":[]}}", logs, error));
    CHECK(parse_log_envelopes("{\"envelopes\":{}}", logs, error));
    CHECK(parse_log_envelopes("{}", logs, error));
    CHECK(logs.empty());
  }
  SECTION("when logs are already there, new ones are appended") {
    logs.push_back(web_log("earlier"));
    REQUIRE(parse_log_envelopes(
        read_response(envelope_json("\"2\"", "{\"payload\":\"" + hello + "\"}")), logs, error));
    REQUIRE(logs.size() == 2);
    CHECK(logs[0].message == "earlier");
  }
  SECTION("when a payload is not base64 the error names it and nothing is added") {
    std::string body = read_response(envelope_json("\"1\"", "{\"payload\":\"" + hello + "\"}") +
                                     "," + envelope_json("\"2\"", "{\"payload\":\"not base64!\"}"));
    CHECK_FALSE(parse_log_envelopes(body, logs, error));
    CHECK(error == "envelopes.batch[1].log.payload: is not base64");
    CHECK(logs.empty());
  }
  SECTION("when the JSON is malformed the error says where") {
    CHECK_FALSE(parse_log_envelopes("{\"envelopes\":{\"batch\":[", logs, error));
    CHECK(error.starts_with("invalid JSON at offset"));
  }
  SECTION("when fields have the wrong types the error names each") {
    std::string body = read_response(
        "{\"timestamp\":\"soon\",\"log\":{\"payload\":\"\",\"type\":\"DEBUG\"}},"
        "{\"timestamp\":true,\"instance_id\":3,\"log\":{}}");
    CHECK_FALSE(parse_log_envelopes(body, logs, error));
    CHECK(error ==
          "envelopes.batch[0].timestamp: expected an integer or a decimal string, got \"soon\"; "
          "envelopes.batch[0].log.type: expected \"OUT\", \"ERR\", 0 or 1, got \"DEBUG\"; "
          "envelopes.batch[1].timestamp: expected an integer or a decimal string, got a "
          "boolean; and 1 more");
  }
  SECTION("when batch is not an array the error says so") {
    CHECK_FALSE(parse_log_envelopes("{\"envelopes\":{\"batch\":{}}}", logs, error));
    CHECK(error == "envelopes.batch: expected an array, got an object");
  }
  SECTION("when the body is larger than 64 MiB it is refused before parsing") {
    std::string body(kMaxLogResponseBytes + 1, ' ');
    CHECK_FALSE(parse_log_envelopes(body, logs, error));
    CHECK(error == "log response of 67108865 bytes is larger than the limit of 64 MiB");
  }
}
