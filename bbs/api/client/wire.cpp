#include "bbs/api/client/wire.h"

#include <algorithm>

#include <fmt/format.h>

namespace cupola::bbs::client_detail {
namespace {

// Bodies quoted in messages are cut to this many bytes.
constexpr std::size_t kQuotedBodyBytes = 200;

std::string quoted(const std::string& body) {
  if (body.size() <= kQuotedBodyBytes) return body;
  return body.substr(0, kQuotedBodyBytes) + "...";
}

}  // namespace

Error error_of(const http::ClientResponse& response, std::string_view context) {
  std::string plumbing_message;  // the HTTP layer's {"error": {"code", "message"}}
  if (auto doc = json::parse(response.body); doc && doc->IsObject()) {
    json::ObjectReader r(*doc);
    auto error = r.object("error");
    std::string type;
    std::string message;
    error.optional("message", message);
    if (error.find("type") && error.required("type", type)) {
      return bbs_error(parse_error_type(type), std::move(message));
    }
    plumbing_message = std::move(message);
  }
  auto what = fmt::format("{}: HTTP {}: {}", context, response.status,
                          plumbing_message.empty() ? quoted(response.body) : plumbing_message);
  switch (response.status) {
    case 400:
    case 413:
      return bbs_error(ErrorType::InvalidRequest, std::move(what));
    case 408:
      return make_error(Errc::Timeout, std::move(what));
    case 500:
      return bbs_error(ErrorType::UnknownError, std::move(what));
    case 502:
    case 503:
    case 504:
      return make_error(Errc::Unavailable, std::move(what));
    default:
      return bbs_error(ErrorType::InvalidResponse, std::move(what));
  }
}

Result<json::Document> answer_of(const http::ClientResponse& response, std::string_view context) {
  if (!response.ok()) return error_of(response, context);
  // The client already bounded the body by its max_body_bytes; parse all of it.
  json::ParseLimits limits;
  limits.max_bytes = std::max(limits.max_bytes, response.body.size());
  auto doc = json::parse(
      response.body.empty() ? std::string_view("{}") : std::string_view(response.body), limits);
  if (!doc) {
    return bbs_error(ErrorType::InvalidResponse,
                     fmt::format("{}: {}", context, doc.error().message));
  }
  if (!doc->IsObject()) {
    return bbs_error(ErrorType::InvalidResponse, fmt::format("{}: expected a JSON object, got {}",
                                                             context, json::type_name(*doc)));
  }
  return std::move(doc).value();
}

Error invalid_response(std::string_view context, const json::ObjectReader& reader) {
  std::string msg = fmt::format("{}: unexpected answer:", context);
  for (const auto& p : reader.problems()) msg += "\n  - " + p;
  return bbs_error(ErrorType::InvalidResponse, std::move(msg));
}

}  // namespace cupola::bbs::client_detail
