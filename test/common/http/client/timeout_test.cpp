#include <sys/socket.h>

#include <cerrno>

#include <catch2/catch.hpp>

#include <boost/asio/ip/tcp.hpp>

#include "common/http/client/client.h"
#include "test/common/http/client/client_fixture.h"
#include "test/common/http/client/test_server.h"

namespace cupola::http {

using namespace std::chrono_literals;
using testing::ClientFixture;
using testing::Reply;
using testing::TestServer;
using testing::WireRequest;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// A listening socket whose accept queue is full: the kernel drops further connection
// attempts, so a connect to it neither succeeds nor fails until the client gives up.
struct FullListener {
  explicit FullListener(asio::io_context& io) : acceptor(io) {
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.bind(endpoint);
    acceptor.listen(0);
    port = acceptor.local_endpoint().port();
    for (int i = 0; i < 3; ++i) {
      fillers.emplace_back(io);
      fillers.back().open(tcp::v4());
      fillers.back().non_blocking(true);
      // Asio's connect() waits even on a non-blocking socket; the filler must not.
      const tcp::endpoint target(endpoint.address(), port);
      const int rc = ::connect(fillers.back().native_handle(), target.data(), target.size());
      REQUIRE((rc == 0 || errno == EINPROGRESS));
    }
  }
  tcp::acceptor acceptor;
  unsigned short port = 0;
  std::vector<tcp::socket> fillers;
};

}  // namespace

TEST_CASE("Client timeouts", "[integration]") {
  SECTION("when a connect gets no answer, it fails with Timeout after connect_timeout") {
    ClientOptions options;
    options.connect_timeout = 200ms;
    options.request_timeout = 10s;
    ClientFixture f(options);
    FullListener listener(f.io);
    const std::string url = "http://127.0.0.1:" + std::to_string(listener.port) + "/x";
    const auto start = std::chrono::steady_clock::now();
    auto r = f.run(f.client.get(url));
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Timeout);
    CHECK_THAT(r.error().message, Catch::Contains("GET " + url));
    CHECK_THAT(r.error().message, Catch::Contains("connect timed out after 200ms"));
    CHECK(took >= 200ms);
    CHECK(took < 5s);
  }

  TestServer server([](const WireRequest& req, std::size_t) {
    Reply r{.body = "ok"};
    if (req.target() == "/hang") r.kind = Reply::Kind::NeverAnswer;
    return r;
  });

  SECTION("when the server accepts and never answers, the request fails with Timeout") {
    ClientOptions options;
    options.request_timeout = 300ms;
    ClientFixture f(options);
    auto r = f.run(f.client.get(server.url("/hang")));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Timeout);
    CHECK_THAT(r.error().message, Catch::Contains("receive timed out after 300ms"));
    CHECK_THAT(r.error().message, Catch::Contains(server.url("/hang")));
    CHECK(server.wait_closed(1, 5s));  // the client dropped the connection

    auto next = f.run(f.client.get(server.url("/ok")));
    REQUIRE(next.ok());
    CHECK(next->body == "ok");
  }

  SECTION("when a request sets its own timeout, it overrides the client's") {
    ClientFixture f;
    ClientRequest req{Method::Get, server.url("/hang"), {}, {}, 150ms};
    auto r = f.run(f.client.request(req));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::Timeout);
    CHECK_THAT(r.error().message, Catch::Contains("after 150ms"));
  }
}

}  // namespace cupola::http
