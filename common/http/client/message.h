#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cupola::http {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options };

// "GET", "POST", ...
std::string_view method_name(Method m);
// GET, HEAD, PUT, DELETE and OPTIONS: safe to send twice (RFC 9110 section 9.2.2).
bool is_idempotent(Method m);

struct Header {
  std::string name;
  std::string value;
};
using Headers = std::vector<Header>;

// The first value of the header called `name` (case-insensitive), if any.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

// What the client sends. The client adds Host, User-Agent (unless given) and
// Content-Length (or nothing for an empty body on GET/HEAD/DELETE/OPTIONS).
// Told how many body bytes have been sent of how many, as sending goes.
using ProgressHandler = std::function<void(std::uint64_t sent, std::uint64_t total)>;

struct ClientRequest {
  Method method = Method::Get;
  std::string url;  // absolute http:// or https:// URL
  Headers headers;
  std::string body;
  // The whole request (connect, send, receive); unset: the client's default.
  std::optional<std::chrono::milliseconds> timeout;
  // Optional: called on the client's executor while the body is sent (uploads).
  ProgressHandler on_progress;
};

// What came back. Any status is a successful exchange; errors are transport failures.
struct ClientResponse {
  unsigned status = 0;
  Headers headers;  // in the order received
  std::string body;

  std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
  bool ok() const { return status >= 200 && status < 300; }
};

}  // namespace cupola::http
