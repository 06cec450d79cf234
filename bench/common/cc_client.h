#pragma once

// A kept-alive HTTP/1.1 connection to a Cloud Controller for the benchmarks, and logging in
// with the password grant. Blocking; one thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>
#include <string>

#include "common/json/json.h"

namespace cupola::bench {

class CcClient {
 public:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  explicit CcClient(unsigned short port) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  Response call(boost::beast::http::verb verb, const std::string& target, const std::string& auth,
                const std::string& body = "", const std::string& type = "application/json") {
    namespace bhttp = boost::beast::http;
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "cc");
    if (!auth.empty()) req.set(bhttp::field::authorization, auth);
    if (!body.empty()) {
      req.set(bhttp::field::content_type, type);
      req.body() = body;
    }
    req.prepare_payload();
    bhttp::write(socket_, req);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 << 20);
    bhttp::read(socket_, buffer_, parser);
    return parser.release();
  }

  // The JSON of a call that must succeed (2xx); throws with the answer otherwise.
  json::Document json_of(boost::beast::http::verb verb, const std::string& target,
                         const std::string& auth, const std::string& body = "") {
    auto res = call(verb, target, auth, body);
    auto doc = json::parse(res.body(), {.max_bytes = res.body().size() + 1});
    if (res.result_int() >= 300 || !doc) {
      throw std::runtime_error(target + " answered " + std::to_string(res.result_int()) + ": " +
                               res.body().substr(0, 500));
    }
    return std::move(*doc);
  }

  // "bearer <token>" for USER, by the password grant of the cf client.
  std::string login(const std::string& user, const std::string& password) {
    auto res = call(boost::beast::http::verb::post, "/oauth/token", "Basic Y2Y6",
                    "grant_type=password&username=" + user + "&password=" + password,
                    "application/x-www-form-urlencoded");
    auto doc = json::parse(res.body());
    if (!doc || !doc->HasMember("access_token")) throw std::runtime_error("login: " + res.body());
    return std::string("bearer ") + (*doc)["access_token"].GetString();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_{io_};
  boost::beast::flat_buffer buffer_;
};

}  // namespace cupola::bench
