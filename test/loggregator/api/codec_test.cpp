#include "loggregator/api/codec.h"

#include <cmath>
#include <limits>

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::loggregator;

namespace {

bool mentions(const Error& e, std::string_view text) {
  return e.message.find(text) != std::string::npos;
}

std::vector<Envelope> one_of_each() {
  std::vector<Envelope> v;
  v.push_back(make_log(1700000000123456789, "app-guid", "0", "APP/PROC/WEB",
                       "line with \"quotes\", \\ and \x01 bytes\n"));
  v.push_back(make_log(1700000000123456790, "app-guid", "1", "STG", "err line", LogType::Err));
  Envelope counter;
  counter.timestamp = 5;
  counter.source_id = "router";
  counter.message = Counter{"requests", 3, std::numeric_limits<std::uint64_t>::max()};
  v.push_back(counter);
  Envelope gauge;
  gauge.timestamp = 6;
  gauge.source_id = "app-guid";
  gauge.instance_id = "2";
  gauge.tags = {{"source_type", "APP/PROC/WEB"}, {"process_type", "web"}};
  gauge.message = Gauge{{{"cpu", {"percentage", 12.5}}, {"memory", {"bytes", 1048576}}}};
  v.push_back(gauge);
  Envelope timer;
  timer.timestamp = 7;
  timer.source_id = "router";
  timer.message = Timer{"http", -5, std::numeric_limits<std::int64_t>::max()};
  v.push_back(timer);
  Envelope event;
  event.timestamp = 8;
  event.source_id = "cc";
  event.message = Event{"app.crash", "exit status 1"};
  v.push_back(event);
  return v;
}

}  // namespace

TEST_CASE("encoding and decoding envelope batches") {
  auto envelopes = one_of_each();

  SECTION("when integers are numbers (the NATS wire), a batch comes back as it was") {
    auto json = encode_batch(envelopes);
    CHECK(json.find("\"timestamp\":1700000000123456789") != std::string::npos);
    auto back = decode_batch(json);
    REQUIRE(back.ok());
    CHECK(*back == envelopes);
  }
  SECTION("when integers are strings (the read API), a batch comes back as it was") {
    auto json = encode_batch(envelopes, EncodeOptions{IntegerForm::String});
    CHECK(json.find("\"timestamp\":\"1700000000123456789\"") != std::string::npos);
    CHECK(json.find("\"total\":\"18446744073709551615\"") != std::string::npos);
    CHECK(json.find("\"stop\":\"9223372036854775807\"") != std::string::npos);
    auto back = decode_batch(json);
    REQUIRE(back.ok());
    CHECK(*back == envelopes);
  }
  SECTION("when written, a log envelope has log-cache's field names and every field") {
    auto e = make_log(1795556642848860407, "guid", "0", "APP/PROC/WEB", "hello");
    CHECK(encode_envelope(e, EncodeOptions{IntegerForm::String}) ==
          R"({"timestamp":"1795556642848860407","source_id":"guid","instance_id":"0",)"
          R"("tags":{"source_type":"APP/PROC/WEB"},"log":{"payload":"aGVsbG8=","type":"OUT"}})");
    Envelope bare;
    bare.source_id = "s";
    bare.message = Event{};
    CHECK(encode_envelope(bare) == R"({"timestamp":0,"source_id":"s","instance_id":"","tags":{},)"
                                   R"("event":{"title":"","body":""}})");
  }
  SECTION("when a gauge holds NaN or infinity, they travel as protobuf's strings") {
    Envelope g;
    g.source_id = "s";
    g.message = Gauge{{{"a", {"", std::numeric_limits<double>::quiet_NaN()}},
                       {"b", {"", std::numeric_limits<double>::infinity()}},
                       {"c", {"", -std::numeric_limits<double>::infinity()}}}};
    auto json = encode_envelope(g);
    CHECK(json.find(R"("value":"NaN")") != std::string::npos);
    CHECK(json.find(R"("value":"-Infinity")") != std::string::npos);
    auto back = decode_batch(R"({"batch":[)" + json + "]}");
    REQUIRE(back.ok());
    const auto& metrics = (*back)[0].gauge()->metrics;
    CHECK(std::isnan(metrics.at("a").value));
    CHECK(metrics.at("b").value == std::numeric_limits<double>::infinity());
    CHECK(metrics.at("c").value == -std::numeric_limits<double>::infinity());
  }
  SECTION("when answering a read, the batch is wrapped in envelopes") {
    std::vector<std::shared_ptr<const Envelope>> ptrs;
    for (const auto& e : envelopes) ptrs.push_back(std::make_shared<const Envelope>(e));
    auto json = encode_read_response(ptrs);
    CHECK(json.starts_with(R"({"envelopes":{"batch":[{"timestamp":"1700000000123456789")"));
    auto back = decode_read_response(json);
    REQUIRE(back.ok());
    CHECK(*back == envelopes);
    CHECK(encode_read_response({}) == R"({"envelopes":{"batch":[]}})");
  }
}

TEST_CASE("decoding what producers and log-cache write") {
  SECTION("when log-cache's read API answers, its int64 strings and extra fields are read") {
    auto back = decode_read_response(R"({"envelopes":{"batch":[
      {"timestamp":"1795556642848860407","source_id":"guid","instance_id":"0",
       "deprecated_tags":{},"tags":{"source_type":"APP/PROC/WEB"},
       "log":{"payload":"aGVsbG8=","type":"OUT"}}]}})");
    REQUIRE(back.ok());
    REQUIRE(back->size() == 1);
    CHECK((*back)[0] == make_log(1795556642848860407, "guid", "0", "APP/PROC/WEB", "hello"));
  }
  SECTION("when the router publishes, its numeric timestamp and tags are read") {
    auto back = decode_batch(R"({"batch":[{"timestamp":1700000000000000001,"source_id":"g",
      "instance_id":"i","tags":{"source_type":"RTR","origin":"cupola-router"},
      "log":{"payload":"R0VUIC8=","type":"OUT"}}]})");
    REQUIRE(back.ok());
    CHECK((*back)[0].timestamp == 1700000000000000001);
    CHECK((*back)[0].log()->payload == "GET /");
    CHECK((*back)[0].tags.at("origin") == "cupola-router");
  }
  SECTION("when a log's type is a number, an absent one or its payload is unpadded") {
    auto back = decode_batch(R"({"batch":[
      {"source_id":"s","log":{"payload":"aGk","type":1}},
      {"source_id":"s","log":{"payload":"aGk=","type":0}},
      {"source_id":"s","log":{}}]})");
    REQUIRE(back.ok());
    CHECK((*back)[0].log()->type == LogType::Err);
    CHECK((*back)[0].log()->payload == "hi");
    CHECK((*back)[1].log()->type == LogType::Out);
    CHECK((*back)[2].log()->payload.empty());
    CHECK((*back)[2].timestamp == 0);
  }
  SECTION("when the batch is empty, nothing comes back") {
    auto back = decode_batch(R"({"batch":[]})");
    REQUIRE(back.ok());
    CHECK(back->empty());
  }
}

TEST_CASE("decoding refuses bad batches, naming the field") {
  auto problem = [](std::string_view json) {
    auto r = decode_batch(json);
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  SECTION("when the text is not a batch") {
    CHECK(mentions(problem("not json"), "invalid JSON"));
    CHECK(mentions(problem("{}"), "batch: is required"));
    CHECK(mentions(problem(R"({"batch":{}})"), "batch: expected an array, got an object"));
    CHECK(mentions(problem(R"({"batch":[1]})"), "batch[0]: expected an object"));
  }
  SECTION("when a field is missing or of the wrong type") {
    CHECK(mentions(problem(R"({"batch":[{"log":{}}]})"), "batch[0].source_id: is required"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"","log":{}}]})"),
                   "batch[0].source_id: must not be empty"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","timestamp":"12x","log":{}}]})"),
                   "batch[0].timestamp: \"12x\" is not a decimal integer"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","timestamp":1.5,"log":{}}]})"),
                   "batch[0].timestamp: expected an integer or a decimal string, got a number"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","counter":{"delta":"-1"}}]})"),
                   "batch[0].counter.delta: \"-1\" is not a decimal non-negative integer"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","timestamp":"9223372036854775808",)"
                           R"("log":{}}]})"),
                   "batch[0].timestamp"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","tags":{"a":1},"log":{}}]})"),
                   "batch[0].tags.a: expected a string"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","gauge":{"metrics":{"cpu":)"
                           R"({"value":"lots"}}}}]})"),
                   "batch[0].gauge.metrics.cpu.value: \"lots\" is not a number"));
  }
  SECTION("when a log is malformed") {
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","log":{"payload":"!!"}}]})"),
                   "batch[0].log.payload: is not base64"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","log":{"type":"WARN"}}]})"),
                   "batch[0].log.type: must be \"OUT\" or \"ERR\""));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","log":"hello"}]})"),
                   "batch[0].log: expected an object"));
  }
  SECTION("when an envelope holds no message or several") {
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s"}]})"),
                   "batch[0]: has none of log, counter, gauge, timer, event"));
    CHECK(mentions(problem(R"({"batch":[{"source_id":"s","log":{},"gauge":{}}]})"),
                   "batch[0]: has 2 messages (log, gauge)"));
  }
  SECTION("when several envelopes are wrong, each problem is listed with its index") {
    auto e = problem(R"({"batch":[{"source_id":"s","log":{}},{"log":{}},{"source_id":"t"}]})");
    CHECK(e.code == make_error_code(Errc::InvalidArgument));
    CHECK(mentions(e, "batch[1].source_id"));
    CHECK(mentions(e, "batch[2]: has none"));
    CHECK_FALSE(mentions(e, "batch[0]"));
  }
}

TEST_CASE("decoding enforces its limits") {
  SECTION("when the text is larger than max_batch_bytes") {
    auto json = encode_batch(std::vector<Envelope>(10, make_log(1, "s", "0", "X", "line")));
    auto r = decode_batch(json, CodecLimits{.max_batch_bytes = json.size() - 1});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == make_error_code(Errc::LimitExceeded));
    CHECK(decode_batch(json, CodecLimits{.max_batch_bytes = json.size()}).ok());
  }
  SECTION("when a batch holds more than max_envelopes") {
    auto json = encode_batch(std::vector<Envelope>(11, make_log(1, "s", "0", "X", "line")));
    auto r = decode_batch(json, CodecLimits{.max_envelopes = 10});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == make_error_code(Errc::LimitExceeded));
    CHECK(mentions(r.error(), "11 envelopes, more than 10"));
  }
  SECTION("when a payload is larger than max_payload_bytes") {
    auto json =
        encode_batch(std::vector<Envelope>{make_log(1, "s", "0", "X", std::string(101, 'x'))});
    auto r = decode_batch(json, CodecLimits{.max_payload_bytes = 100});
    REQUIRE_FALSE(r.ok());
    CHECK(mentions(r.error(), "batch[0].log.payload: is larger than 100 bytes"));
    CHECK(decode_batch(json, CodecLimits{.max_payload_bytes = 101}).ok());
  }
}

TEST_CASE("encode_batches splits a batch to fit a size") {
  std::vector<Envelope> envelopes;
  for (int i = 0; i < 100; ++i) {
    envelopes.push_back(make_log(i, "app", "0", "APP/PROC/WEB", "line " + std::to_string(i)));
  }
  SECTION(
      "when the envelopes do not fit in one document, each document stays within the size "
      "and together they hold every envelope in order") {
    std::size_t too_large = 0;
    auto docs = encode_batches(envelopes, 1000, EncodeOptions{}, too_large);
    CHECK(too_large == 0);
    CHECK(docs.size() > 5);
    std::vector<Envelope> back;
    for (const auto& d : docs) {
      CHECK(d.json.size() <= 1000);
      auto decoded = decode_batch(d.json);
      REQUIRE(decoded.ok());
      CHECK(decoded->size() == d.envelopes);
      back.insert(back.end(), decoded->begin(), decoded->end());
    }
    CHECK(back == envelopes);
  }
  SECTION("when one envelope cannot fit at all, it is left out and counted") {
    envelopes[50] = make_log(50, "app", "0", "APP/PROC/WEB", std::string(2000, 'x'));
    std::size_t too_large = 0;
    auto docs = encode_batches(envelopes, 1000, EncodeOptions{}, too_large);
    CHECK(too_large == 1);
    std::size_t total = 0;
    for (const auto& d : docs) total += d.envelopes;
    CHECK(total == 99);
  }
  SECTION("when estimated, sizes are close to the encoded size") {
    auto e = make_log(1700000000000000000, "5e0d3a4f-1c2b-4d6e-8f90-a1b2c3d4e5f6", "12",
                      "APP/PROC/WEB", std::string(300, 'x'));
    auto actual = encode_envelope(e).size();
    auto estimate = estimate_encoded_size(e);
    CHECK(estimate >= actual);
    CHECK(estimate <= actual + 100);
  }
}
