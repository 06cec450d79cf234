#include <catch2/catch.hpp>

#include "common/http/client/client.h"
#include "common/testing/temp_dir.h"
#include "test/common/http/client/client_fixture.h"
#include "test/common/http/client/test_cert.h"
#include "test/common/http/client/test_server.h"

namespace cupola::http {

using testing::ClientFixture;
using testing::Reply;
using testing::TestServer;
using testing::WireRequest;

namespace {

Reply hello(const WireRequest& req, std::size_t) {
  return Reply{.body = "hello over tls, host " + std::string(req["Host"])};
}

}  // namespace

TEST_CASE("Client TLS", "[integration]") {
  const testing::TlsIdentity identity = testing::make_self_signed("127.0.0.1");
  cupola::testing::TempDir dir("http-client-tls");
  const auto ca_file = dir.write_file("ca.pem", identity.cert_pem);
  TestServer server(hello, identity);

  SECTION("when the CA is not trusted, the request fails certificate verification") {
    ClientFixture f;
    auto r = f.run(f.client.get(server.url("/")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("TLS handshake failed"));
    CHECK_THAT(r.error().message, Catch::Contains("certificate verify failed"));
    CHECK_THAT(r.error().message, Catch::Contains(server.url("/")));
  }

  SECTION("when the CA file is given, the request succeeds and reuses its connection") {
    ClientOptions options;
    options.tls.ca_file = ca_file.string();
    ClientFixture f(options);
    for (int i = 0; i < 10; ++i) {
      auto r = f.run(f.client.get(server.url("/")));
      REQUIRE(r.ok());
      CHECK(r->body == "hello over tls, host 127.0.0.1:" + std::to_string(server.port()));
    }
    CHECK(server.accepted() == 1);
  }

  SECTION("when verification is off, a self-signed server is accepted") {
    ClientOptions options;
    options.tls.verify_peer = false;
    ClientFixture f(options);
    auto r = f.run(f.client.get(server.url("/")));
    REQUIRE(r.ok());
    CHECK(r->status == 200);
  }

  SECTION("when the certificate names another address, the trusted CA is not enough") {
    const testing::TlsIdentity other = testing::make_self_signed("127.0.0.2");
    TestServer wrong_name(hello, other);
    ClientOptions options;
    options.tls.ca_file = dir.write_file("other.pem", other.cert_pem).string();
    ClientFixture f(options);
    auto r = f.run(f.client.get(wrong_name.url("/")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Unavailable);
    CHECK_THAT(r.error().message, Catch::Contains("certificate verify failed"));
  }

  SECTION("when the CA file cannot be read, constructing the client throws") {
    ClientOptions options;
    options.tls.ca_file = (dir / "missing.pem").string();
    boost::asio::io_context io;
    SystemClock clock;
    log::Logger logger(std::make_shared<log::MemorySink>(), clock, "test");
    CHECK_THROWS_WITH(Client(io.get_executor(), options, logger), Catch::Contains("missing.pem"));
  }
}

}  // namespace cupola::http
