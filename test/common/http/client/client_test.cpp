#include "common/http/client/client.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "common/http/client/json_request.h"
#include "test/common/http/client/client_fixture.h"
#include "test/common/http/client/test_server.h"

namespace cupola::http {

using testing::ClientFixture;
using testing::Reply;
using testing::TestServer;
using testing::WireRequest;

namespace {

Reply echo(const WireRequest& req, std::size_t) {
  Reply r;
  r.body = std::string(req.method_string()) + " " + std::string(req.target()) + " " + req.body();
  if (auto it = req.find("content-type"); it != req.end()) r.content_type = it->value();
  return r;
}

}  // namespace

TEST_CASE("Client requests", "[integration]") {
  TestServer server(echo);
  ClientFixture f;

  SECTION("when GET succeeds, status, headers and body come back") {
    auto r = f.run(f.client.get(server.url("/v1/things?x=1")));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(r->ok());
    CHECK(r->body == "GET /v1/things?x=1 ");
    CHECK(r->header("Content-Type") == "text/plain");
    CHECK(r->header("content-length") == "19");
  }

  SECTION("when POST, PUT, PATCH and DELETE are sent, method, body and type arrive") {
    auto post = f.run(f.client.post(server.url("/p"), "a=1", "application/x-www-form-urlencoded"));
    REQUIRE(post.ok());
    CHECK(post->body == "POST /p a=1");
    CHECK(post->header("content-type") == "application/x-www-form-urlencoded");
    auto put = f.run(f.client.put(server.url("/p"), "b", "text/plain"));
    REQUIRE(put.ok());
    CHECK(put->body == "PUT /p b");
    auto patch = f.run(f.client.patch(server.url("/p"), "c", "text/plain"));
    REQUIRE(patch.ok());
    CHECK(patch->body == "PATCH /p c");
    auto del = f.run(f.client.del(server.url("/p")));
    REQUIRE(del.ok());
    CHECK(del->body == "DELETE /p ");
  }

  SECTION("when JSON is sent, it is serialised and the reply parses") {
    json::Document doc;
    doc.SetObject();
    doc.AddMember("name", "web", doc.GetAllocator());
    auto r = f.run(send_json(f.client, Method::Post, server.url("/j"), doc));
    REQUIRE(r.ok());
    CHECK(r->header("content-type") == "application/json");
    CHECK(r->body == "POST /j {\"name\":\"web\"}");
    auto not_json = json_body(*r);
    REQUIRE_FALSE(not_json.ok());
    CHECK_THAT(not_json.error().message, Catch::Contains("status 200"));
  }

  SECTION("when a body is sent with a progress handler, it hears each piece up to the whole") {
    ClientRequest req;
    req.method = Method::Post;
    req.url = server.url("/upload");
    req.body = std::string(300 * 1024, 'x');
    req.headers.push_back({"Content-Type", "application/octet-stream"});
    std::vector<std::uint64_t> seen;
    std::uint64_t total_seen = 0;
    req.on_progress = [&](std::uint64_t sent, std::uint64_t total) {
      seen.push_back(sent);
      total_seen = total;
    };
    auto r = f.run(f.client.request(std::move(req)));
    REQUIRE(r.ok());
    CHECK(r->body.size() == std::string("POST /upload ").size() + 300 * 1024);
    CHECK(total_seen == 300 * 1024);
    REQUIRE(seen.size() >= 5);  // 64 KiB pieces
    CHECK(seen.front() == 0);
    CHECK(seen.back() == 300 * 1024);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
  }

  SECTION("when the host is a name under localhost, it is the loopback address, named") {
    std::string url = server.url("/named");
    url.replace(url.find("127.0.0.1"), 9, "api.cupola.localhost");
    auto r = f.run(f.client.get(url));
    REQUIRE(r.ok());
    CHECK(r->body == "GET /named ");
  }

  SECTION("when the URL is bad, the error is InvalidArgument and quotes it") {
    auto r = f.run(f.client.get("ftp://127.0.0.1/x"));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::InvalidArgument);
    CHECK_THAT(r.error().message, Catch::Contains("ftp://127.0.0.1/x"));
    CHECK(server.accepted() == 0);
  }
}

TEST_CASE("Client JSON body", "[integration]") {
  TestServer server([](const WireRequest&, std::size_t) {
    Reply r;
    r.content_type = "application/json";
    r.body = R"({"guid":"abc","instances":3})";
    return r;
  });
  ClientFixture f;
  auto r = f.run(f.client.get(server.url("/j")));
  REQUIRE(r.ok());
  auto doc = json_body(*r);
  REQUIRE(doc.ok());
  CHECK(std::string((*doc)["guid"].GetString()) == "abc");
  CHECK((*doc)["instances"].GetInt() == 3);
}

TEST_CASE("Client connection errors", "[integration]") {
  SECTION("when nothing listens, the error is Unavailable and names the URL") {
    unsigned short port = 0;
    {
      TestServer gone(echo);
      port = gone.port();
    }
    ClientFixture f;
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
    auto r = f.run(f.client.get(url));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("GET " + url));
    CHECK_THAT(r.error().message, Catch::Contains("connect failed"));
  }
}

TEST_CASE("Client response body limit", "[integration]") {
  TestServer server([](const WireRequest& req, std::size_t) {
    Reply r;
    if (req.target() == "/big") r.body = std::string(2000, 'x');
    if (req.target() == "/big-chunked") {
      r.kind = Reply::Kind::Chunked;
      r.chunks = {std::string(600, 'a'), std::string(600, 'b')};
    }
    if (req.target() == "/small") r.body = std::string(1000, 'y');
    return r;
  });
  ClientOptions options;
  options.max_body_bytes = 1000;
  ClientFixture f(options);

  SECTION("when a body is larger than the limit, the error is LimitExceeded") {
    auto r = f.run(f.client.get(server.url("/big")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::LimitExceeded);
    CHECK_THAT(r.error().message, Catch::Contains("limit of 1000 bytes"));
    CHECK_THAT(r.error().message, Catch::Contains(server.url("/big")));
  }
  SECTION("when a chunked body grows past the limit, the error is LimitExceeded") {
    auto r = f.run(f.client.get(server.url("/big-chunked")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::LimitExceeded);
  }
  SECTION("when a body is exactly at the limit, it is returned, and the client goes on") {
    auto big = f.run(f.client.get(server.url("/big")));
    CHECK_FALSE(big.ok());
    auto r = f.run(f.client.get(server.url("/small")));
    REQUIRE(r.ok());
    CHECK(r->body.size() == 1000);
  }
}

TEST_CASE("Client chunked response", "[integration]") {
  TestServer server([](const WireRequest&, std::size_t) {
    Reply r;
    r.kind = Reply::Kind::Chunked;
    r.chunks = {"hello ", "chunked ", "world"};
    return r;
  });
  ClientFixture f;
  for (int i = 0; i < 3; ++i) {
    auto r = f.run(f.client.get(server.url("/c")));
    REQUIRE(r.ok());
    CHECK(r->body == "hello chunked world");
    CHECK(r->header("transfer-encoding") == "chunked");
  }
  CHECK(server.accepted() == 1);
}

}  // namespace cupola::http
