#include "common/http/client/json_request.h"

#include <algorithm>

#include <fmt/format.h>

namespace cupola::http {

boost::asio::awaitable<Result<ClientResponse>> send_json(Client& client, Method method,
                                                         std::string url, const json::Value& body,
                                                         Headers headers) {
  ClientRequest req{method, std::move(url), std::move(headers), json::to_string(body), {}};
  if (!find_header(req.headers, "content-type")) {
    req.headers.push_back(Header{"Content-Type", "application/json"});
  }
  if (!find_header(req.headers, "accept")) {
    req.headers.push_back(Header{"Accept", "application/json"});
  }
  return client.request(std::move(req));
}

Result<json::Document> json_body(const ClientResponse& response) {
  json::ParseLimits limits;
  limits.max_bytes = std::max(limits.max_bytes, response.body.size());
  auto doc = json::parse(response.body, limits);
  if (!doc) {
    return make_error(Errc::InvalidArgument, fmt::format("response (status {}) is not JSON: {}",
                                                         response.status, doc.error().message));
  }
  return doc;
}

}  // namespace cupola::http
