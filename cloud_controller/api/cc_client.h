#pragma once

// The Cloud Controller's client library: the v3 API and the token endpoint, as the cupola CLI
// and tools call them. Blocking: every call runs a private io_context until its answer is in,
// so it suits command-line tools and tests; not thread-safe.
//
// Errors are values. An answer that is not 2xx becomes an Error whose code is the HTTP status
// in http_status_category() and whose message is Cloud Foundry's `detail` (or the body); a
// request that got no answer has Errc::Unavailable or Errc::Timeout. A 401 with a refresh token
// at hand refreshes the access token once and repeats the request; on_tokens hears the new
// pair so that the caller can keep it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cc::api {

// Error codes whose values are HTTP statuses (404, 422, ...).
const std::error_category& http_status_category() noexcept;
// The HTTP status of an answered request's error; 0 when the request got no answer.
unsigned status_of(const Error& e);

struct Tokens {
  std::string access;
  std::string refresh;
};

// One HTTP exchange as `-v` prints it: secrets are left out by the caller's printer.
struct TraceEntry {
  std::string method, url;
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string request_body;  // summarised for uploads
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> response_headers;
  std::string response_body;
  std::chrono::milliseconds took{0};
};

struct ClientOptions {
  std::string api_url;  // "https://api.example.com"
  bool skip_ssl_validation = false;
  std::chrono::milliseconds request_timeout{60'000};
  std::string user_agent = "cupola-cli";
  std::function<void(const TraceEntry&)> trace;  // optional
};

// The root document's links (GET /).
struct Endpoints {
  std::string cloud_controller_v3;
  std::string login;
  std::string uaa;
  std::string log_cache;
  std::string api_version;  // the v3 API's version
};

struct Answer {
  unsigned status = 0;
  std::string location;  // the Location header, for jobs
  json::Document body;   // null when the body was empty
};

class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The token endpoint (the root's `uaa` link) and the tokens calls carry.
  void set_token_url(std::string url);
  void set_tokens(Tokens tokens);
  const Tokens& tokens() const;
  void on_tokens(std::function<void(const Tokens&)> handler);

  Result<Endpoints> endpoints();
  // The password grant of the `cf` client.
  Result<Tokens> password_grant(const std::string& username, const std::string& password);
  Result<Tokens> refresh();

  // A call to PATH (relative to the API URL) or to an absolute URL.
  Result<Answer> call(const std::string& method, const std::string& path, std::string body = {},
                      std::string content_type = "application/json");
  Result<json::Document> get(const std::string& path);
  Result<json::Document> post(const std::string& path, std::string json_body);
  Result<json::Document> patch(const std::string& path, std::string json_body);
  // DELETE of PATH, then waiting for the job its answer names, if any (as wait_job does).
  Result<void> remove(const std::string& path);
  // Every resource of a paginated list, following `pagination.next`, as one JSON array
  // (at most `limit` pages).
  Result<json::Document> list(const std::string& path, int limit = 100);
  // Polls a job (GET location) until COMPLETE or FAILED, every `interval`, for at most
  // `timeout`. A FAILED job is an Error carrying the job's first error's detail.
  Result<void> wait_job(const std::string& location,
                        std::chrono::milliseconds interval = std::chrono::milliseconds(500),
                        std::chrono::milliseconds timeout = std::chrono::minutes(15));
  // Polls a job until it is no longer PROCESSING: COMPLETE, FAILED, or POLLING (a service
  // broker accepted the work and the platform polls it), every `interval` for at most
  // `timeout`. The job as last read.
  Result<json::Document> wait_job_accepted(
      const std::string& location,
      std::chrono::milliseconds interval = std::chrono::milliseconds(200),
      std::chrono::milliseconds timeout = std::chrono::minutes(2));
  // POST /v3/packages/:guid/upload: the matched resources (JSON array) and the zip of the
  // rest (omitted when empty), with `progress` told how many bytes are out.
  Result<json::Document> upload_package(
      const std::string& package_guid, const std::string& resources_json, const std::string& zip,
      std::function<void(std::uint64_t, std::uint64_t)> progress = {});
  // A call whose 2xx answer's body is wanted as it came (for parsers of their own: the log
  // store's reads, resource matches); errors as call's.
  Result<std::string> text(const std::string& method, const std::string& path,
                           std::string body = {}, std::string content_type = "application/json");

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The JSON text of a string, for building request bodies.
std::string quote(std::string_view text);
// A query parameter value, percent-encoded.
std::string url_encode(std::string_view text);

}  // namespace cupola::cc::api
