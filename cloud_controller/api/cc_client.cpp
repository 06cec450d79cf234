#include "cloud_controller/api/cc_client.h"

#include <cctype>
#include <future>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "common/core/base64.h"
#include "common/core/clock.h"
#include "common/http/client/client.h"
#include "common/log/log.h"

namespace cupola::cc::api {
namespace {

namespace asio = boost::asio;

class HttpStatusCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "http-status"; }
  std::string message(int status) const override { return "HTTP status " + std::to_string(status); }
};

class DiscardSink final : public log::Sink {
 public:
  void write(std::string_view) override {}
};

Error answer_error(unsigned status, const std::string& body) {
  std::string detail;
  if (auto doc = json::parse(body); doc && doc->IsObject()) {
    const json::Value& d = *doc;
    if (d.HasMember("errors") && d["errors"].IsArray() && !d["errors"].Empty() &&
        d["errors"][0].IsObject()) {
      const json::Value& e = d["errors"][0];
      if (e.HasMember("detail") && e["detail"].IsString()) detail = e["detail"].GetString();
    } else if (d.HasMember("error_description") && d["error_description"].IsString()) {
      detail = d["error_description"].GetString();
    } else if (d.HasMember("description") && d["description"].IsString()) {
      detail = d["description"].GetString();
    }
  }
  if (detail.empty()) {
    detail = "The server answered with status " + std::to_string(status) +
             (body.empty() ? std::string() : ": " + body.substr(0, 300));
  }
  return Error{std::error_code(static_cast<int>(status), http_status_category()), detail};
}

http::Method method_of(const std::string& method) {
  return method == "POST"     ? http::Method::Post
         : method == "PATCH"  ? http::Method::Patch
         : method == "PUT"    ? http::Method::Put
         : method == "DELETE" ? http::Method::Delete
                              : http::Method::Get;
}

std::string string_at(const json::Value& v, std::initializer_list<const char*> path) {
  const json::Value* at = &v;
  for (const char* key : path) {
    if (!at->IsObject() || !at->HasMember(key)) return "";
    at = &(*at)[key];
  }
  return at->IsString() ? at->GetString() : "";
}

}  // namespace

const std::error_category& http_status_category() noexcept {
  static HttpStatusCategory category;
  return category;
}

unsigned status_of(const Error& e) {
  return e.code.category() == http_status_category() ? static_cast<unsigned>(e.code.value()) : 0;
}

std::string quote(std::string_view text) {
  json::Writer w;
  w.value(text);
  return w.str();
}

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

struct Client::Impl {
  ClientOptions options;
  asio::io_context io;
  SystemClock clock;
  http::Client http;
  std::string token_url;
  Tokens tokens;
  std::function<void(const Tokens&)> on_tokens;

  explicit Impl(ClientOptions o)
      : options(std::move(o)),
        http(io.get_executor(),
             http::ClientOptions{.request_timeout = options.request_timeout,
                                 .max_body_bytes = 64 * 1024 * 1024,
                                 .user_agent = options.user_agent,
                                 .tls = {.verify_peer = !options.skip_ssl_validation}},
             log::Logger(std::make_shared<DiscardSink>(), clock, "cc-client")) {}

  std::string url_of(const std::string& path) const {
    if (path.rfind("http://", 0) == 0 || path.rfind("https://", 0) == 0) return path;
    return options.api_url + path;
  }

  Result<http::ClientResponse> send(http::ClientRequest req, const std::string& traced_body) {
    TraceEntry t;
    if (options.trace) {
      t.method = std::string(http::method_name(req.method));
      t.url = req.url;
      for (const auto& h : req.headers) t.request_headers.emplace_back(h.name, h.value);
      t.request_body = traced_body;
    }
    auto started = std::chrono::steady_clock::now();
    auto done = asio::co_spawn(io, http.request(std::move(req)), asio::use_future);
    io.restart();
    io.run();
    Result<http::ClientResponse> res = done.get();
    if (options.trace) {
      t.took = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - started);
      if (res) {
        t.status = res->status;
        for (const auto& h : res->headers) t.response_headers.emplace_back(h.name, h.value);
        t.response_body = res->body;
      } else {
        t.response_body = res.error().message;
      }
      options.trace(t);
    }
    return res;
  }

  Result<http::ClientResponse> authorized(http::Method method, const std::string& url,
                                          const std::string& body, const std::string& type,
                                          http::ProgressHandler progress = {},
                                          const std::string& traced_body = "") {
    for (int attempt = 0;; ++attempt) {
      http::ClientRequest req{.method = method, .url = url, .headers = {}, .body = body};
      req.headers.push_back({"Accept", "application/json"});
      if (!tokens.access.empty())
        req.headers.push_back({"Authorization", "bearer " + tokens.access});
      if (!body.empty()) req.headers.push_back({"Content-Type", type});
      req.on_progress = progress;
      auto res = send(std::move(req), traced_body.empty() ? body : traced_body);
      if (!res) return res;
      if (res->status == 401 && attempt == 0 && !tokens.refresh.empty() && !token_url.empty()) {
        if (auto fresh = refresh_tokens(); fresh) continue;
      }
      return res;
    }
  }

  Result<Tokens> grant(const std::string& form) {
    if (token_url.empty()) {
      return Error{make_error_code(Errc::InvalidArgument),
                   "No token endpoint is known: run api first"};
    }
    http::ClientRequest req{.method = http::Method::Post, .url = token_url + "/oauth/token"};
    req.headers = {{"Authorization", "Basic " + base64_encode("cf:")},
                   {"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    req.body = form;
    auto res = send(std::move(req), "[PRIVATE DATA HIDDEN]");
    if (!res) return std::move(res).error();
    if (!res->ok()) return answer_error(res->status, res->body);
    auto doc = json::parse(res->body);
    if (!doc || !doc->IsObject()) {
      return Error{make_error_code(Errc::Internal), "The token endpoint answered no JSON"};
    }
    Tokens t{string_at(*doc, {"access_token"}), string_at(*doc, {"refresh_token"})};
    if (t.access.empty()) {
      return Error{make_error_code(Errc::Internal), "The token endpoint gave no access token"};
    }
    tokens = t;
    if (on_tokens) on_tokens(tokens);
    return t;
  }

  Result<Tokens> refresh_tokens() {
    return grant("grant_type=refresh_token&refresh_token=" + url_encode(tokens.refresh));
  }
};

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

void Client::set_token_url(std::string url) { impl_->token_url = std::move(url); }
void Client::set_tokens(Tokens tokens) { impl_->tokens = std::move(tokens); }
const Tokens& Client::tokens() const { return impl_->tokens; }
void Client::on_tokens(std::function<void(const Tokens&)> handler) {
  impl_->on_tokens = std::move(handler);
}

Result<Endpoints> Client::endpoints() {
  http::ClientRequest req{.method = http::Method::Get, .url = impl_->options.api_url + "/"};
  req.headers.push_back({"Accept", "application/json"});
  auto res = impl_->send(std::move(req), "");
  if (!res) return std::move(res).error();
  if (!res->ok()) return answer_error(res->status, res->body);
  auto doc = json::parse(res->body);
  if (!doc || !doc->IsObject() || !doc->HasMember("links")) {
    return Error{make_error_code(Errc::InvalidArgument),
                 "This is not a Cloud Foundry API: its root document has no links"};
  }
  Endpoints e;
  e.cloud_controller_v3 = string_at(*doc, {"links", "cloud_controller_v3", "href"});
  e.login = string_at(*doc, {"links", "login", "href"});
  e.uaa = string_at(*doc, {"links", "uaa", "href"});
  e.log_cache = string_at(*doc, {"links", "log_cache", "href"});
  const json::Value& links = (*doc)["links"];
  if (links.IsObject() && links.HasMember("cloud_controller_v3") &&
      links["cloud_controller_v3"].IsObject() && links["cloud_controller_v3"].HasMember("meta")) {
    e.api_version = string_at(links["cloud_controller_v3"], {"meta", "version"});
  }
  if (e.uaa.empty()) e.uaa = e.login;
  return e;
}

Result<Tokens> Client::password_grant(const std::string& username, const std::string& password) {
  return impl_->grant("grant_type=password&username=" + url_encode(username) +
                      "&password=" + url_encode(password));
}

Result<Tokens> Client::refresh() { return impl_->refresh_tokens(); }

Result<Answer> Client::call(const std::string& method, const std::string& path, std::string body,
                            std::string content_type) {
  auto res = impl_->authorized(method_of(method), impl_->url_of(path), body, content_type);
  if (!res) return std::move(res).error();
  if (!res->ok()) return answer_error(res->status, res->body);
  Answer a;
  a.status = res->status;
  if (auto loc = res->header("Location")) a.location = std::string(*loc);
  if (!res->body.empty()) {
    auto doc = json::parse(res->body, {.max_bytes = res->body.size() + 1});
    if (!doc) {
      return Error{make_error_code(Errc::Internal),
                   "The API answered " + method + " " + path + " with something that is not JSON"};
    }
    a.body = std::move(*doc);
  }
  return a;
}

Result<json::Document> Client::get(const std::string& path) {
  auto a = call("GET", path);
  if (!a) return std::move(a).error();
  return std::move(a->body);
}

Result<json::Document> Client::post(const std::string& path, std::string json_body) {
  auto a = call("POST", path, std::move(json_body));
  if (!a) return std::move(a).error();
  return std::move(a->body);
}

Result<json::Document> Client::patch(const std::string& path, std::string json_body) {
  auto a = call("PATCH", path, std::move(json_body));
  if (!a) return std::move(a).error();
  return std::move(a->body);
}

Result<void> Client::remove(const std::string& path) {
  auto gone = call("DELETE", path);
  if (!gone) return std::move(gone).error();
  if (!gone->location.empty()) return wait_job(gone->location);
  return {};
}

Result<json::Document> Client::list(const std::string& path, int limit) {
  json::Document all;
  all.SetArray();
  std::string next = path;
  for (int page = 0; page < limit && !next.empty(); ++page) {
    auto doc = get(next);
    if (!doc) return std::move(doc).error();
    if (!doc->IsObject() || !doc->HasMember("resources") || !(*doc)["resources"].IsArray()) {
      return Error{make_error_code(Errc::Internal), "The API's list " + path + " has no resources"};
    }
    for (auto& r : (*doc)["resources"].GetArray()) {
      all.PushBack(json::Value(r, all.GetAllocator()), all.GetAllocator());
    }
    next = string_at(*doc, {"pagination", "next", "href"});
  }
  return all;
}

Result<void> Client::wait_job(const std::string& location, std::chrono::milliseconds interval,
                              std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto job = get(location);
    if (!job) return std::move(job).error();
    std::string state = string_at(*job, {"state"});
    if (state == "COMPLETE") return {};
    if (state == "FAILED") {
      std::string detail;
      if (job->HasMember("errors") && (*job)["errors"].IsArray() && !(*job)["errors"].Empty()) {
        detail = string_at((*job)["errors"][0], {"detail"});
      }
      return Error{make_error_code(Errc::Internal), detail.empty() ? "The job failed" : detail};
    }
    if (std::chrono::steady_clock::now() + interval > deadline) {
      return Error{make_error_code(Errc::Timeout), "The job did not finish in time: " + location};
    }
    std::this_thread::sleep_for(interval);  // bounded by `timeout`
  }
}

Result<json::Document> Client::wait_job_accepted(const std::string& location,
                                                 std::chrono::milliseconds interval,
                                                 std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto job = get(location);
    if (!job) return job;
    if (string_at(*job, {"state"}) != "PROCESSING") return job;
    if (std::chrono::steady_clock::now() + interval > deadline) {
      return Error{make_error_code(Errc::Timeout), "The job did not start in time: " + location};
    }
    std::this_thread::sleep_for(interval);  // bounded by `timeout`
  }
}

Result<json::Document> Client::upload_package(
    const std::string& package_guid, const std::string& resources_json, const std::string& zip,
    std::function<void(std::uint64_t, std::uint64_t)> progress) {
  const std::string boundary =
      "cupola-" + std::to_string(zip.size()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"resources\"\r\n\r\n" +
                     resources_json + "\r\n";
  if (!zip.empty()) {
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"bits\"; filename=\"package.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n";
    body += zip;
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  std::string traced =
      "resources: " + resources_json +
      (zip.empty() ? std::string("\nbits: none (every file matched)")
                   : "\nbits: package.zip, " + std::to_string(zip.size()) + " bytes");
  auto res = impl_->authorized(
      http::Method::Post, impl_->url_of("/v3/packages/" + package_guid + "/upload"), body,
      "multipart/form-data; boundary=" + boundary, std::move(progress), traced);
  if (!res) return std::move(res).error();
  if (!res->ok()) return answer_error(res->status, res->body);
  auto doc = json::parse(res->body);
  if (!doc) return Error{make_error_code(Errc::Internal), "The upload's answer is not JSON"};
  return std::move(*doc);
}

Result<std::string> Client::text(const std::string& method, const std::string& path,
                                 std::string body, std::string content_type) {
  auto res = impl_->authorized(method_of(method), impl_->url_of(path), body, content_type);
  if (!res) return std::move(res).error();
  if (!res->ok()) return answer_error(res->status, res->body);
  return std::move(res->body);
}

}  // namespace cupola::cc::api
