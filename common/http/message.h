#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

namespace cupola::http {

namespace bhttp = boost::beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;
using Verb = bhttp::verb;
using StatusCode = bhttp::status;

// A response with a body and its content type; the server fills in Content-Length,
// keep-alive and the Server header.
Response make_response(StatusCode status, std::string body,
                       std::string_view content_type = "application/json");

// A JSON response whose body is already serialised.
inline Response json_response(StatusCode status, std::string json) {
  return make_response(status, std::move(json), "application/json");
}

// {"error": {"code": <status>, "message": "<message>"}} — the plumbing's own error body,
// used for errors that happen before a component's handler runs (limits, unknown paths).
Response error_response(StatusCode status, std::string_view message);

// The path of a request target without its query ("/v3/apps?x=1" → "/v3/apps").
std::string_view target_path(std::string_view target);
// The query without '?' ("" when there is none).
std::string_view target_query(std::string_view target);

// Decodes %XX escapes ('+' stays '+'). A malformed escape sets `ok` to false.
std::string percent_decode(std::string_view s, bool& ok);

// Escapes everything but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view s);

// One query parameter's decoded value, if present ("a=1&b=x%20y", "b" → "x y").
std::optional<std::string> query_param(std::string_view query, std::string_view name);

}  // namespace cupola::http
