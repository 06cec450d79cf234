// How the BBS client reads answers (bbs/api/client/wire.h): BBS error bodies come back
// typed, the HTTP layer's own answers map by status, and malformed answers are
// InvalidResponse.

#include <catch2/catch.hpp>

#include "bbs/api/client/wire.h"
#include "bbs/api/models/errors.h"

namespace cupola::bbs::client_detail {
namespace {

http::ClientResponse answer(unsigned status, std::string body) {
  http::ClientResponse res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

constexpr std::string_view kContext = "POST http://bbs/v1/x";

}  // namespace

TEST_CASE("BBS client answers") {
  SECTION("when the body names a BBS error type, the error carries it and its message") {
    auto e = error_of(
        answer(409, R"({"error":{"type":"ActualLRPCannotBeClaimed","message":"held"}})"), kContext);
    CHECK(e.code == ErrorType::ActualLRPCannotBeClaimed);
    CHECK(e.message == "held");
    auto unknown = error_of(answer(409, R"({"error":{"type":"Novel","message":"m"}})"), kContext);
    CHECK(unknown.code == ErrorType::UnknownError);
  }
  SECTION("when the HTTP layer answered, the status decides the error") {
    auto large = error_of(
        answer(413, R"({"error":{"code":413,"message":"request body exceeds the limit"}})"),
        kContext);
    CHECK(large.code == ErrorType::InvalidRequest);
    CHECK(large.message == "POST http://bbs/v1/x: HTTP 413: request body exceeds the limit");
    CHECK(error_of(answer(503, "busy"), kContext).code == Errc::Unavailable);
    CHECK(error_of(answer(408, ""), kContext).code == Errc::Timeout);
    CHECK(error_of(answer(500, "{}"), kContext).code == ErrorType::UnknownError);
    auto missing = error_of(answer(404, "<html>not here</html>"), kContext);
    CHECK(missing.code == ErrorType::InvalidResponse);
    CHECK(missing.message.find("<html>not here</html>") != std::string::npos);
  }
  SECTION("when a 2xx body is not a JSON object, the error is InvalidResponse") {
    CHECK(answer_of(answer(200, "[1]"), kContext).error().code == ErrorType::InvalidResponse);
    CHECK(answer_of(answer(200, "{"), kContext).error().code == ErrorType::InvalidResponse);
    auto empty = answer_of(answer(200, ""), kContext);
    REQUIRE(empty.ok());
    CHECK(empty->IsObject());
  }
  SECTION("when records are listed, each is read and every problem named") {
    auto doc = answer_of(answer(200, R"({"cells":[{"cell_id":"c1","rep_address":"nats",
        "capacity":{"memory_mb":1,"containers":2}}]})"),
                         kContext);
    REQUIRE(doc.ok());
    auto cells = read_records<CellPresence>(*doc, "cells", kContext);
    REQUIRE(cells.ok());
    REQUIRE(cells->size() == 1);
    CHECK(cells->front().capacity.containers == 2);

    auto bad =
        answer_of(answer(200, R"({"cells":[{"rep_address":"nats","capacity":{}}]})"), kContext);
    REQUIRE(bad.ok());
    auto problems = read_records<CellPresence>(*bad, "cells", kContext);
    REQUIRE_FALSE(problems.ok());
    CHECK(problems.error().code == ErrorType::InvalidResponse);
    CHECK(problems.error().message.find("cells[0].cell_id: is required") != std::string::npos);
    CHECK(read_records<CellPresence>(*bad, "tasks", kContext).error().code ==
          ErrorType::InvalidResponse);
  }
}

}  // namespace cupola::bbs::client_detail
