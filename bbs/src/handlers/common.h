#pragma once

// Shared by the BBS's HTTP handlers: decoding request bodies and answering in the BBS's
// error format {"error": {"type": "...", "message": "..."}}.

#include <functional>
#include <string>

#include "common/core/result.h"
#include "common/http/context.h"
#include "common/json/json.h"

namespace cupola::bbs {

// The HTTP status of a BBS error: InvalidRequest 400, ResourceNotFound 404, the conflict
// family (exists, conflict, cannot-be-*, invalid transition, other cell, lock) 409,
// ServiceUnavailable 503, anything else 500.
http::StatusCode status_of(const Error& e);
http::Response error_response(const Error& e);
// The HTTP layer's own errors (limits, unknown paths) in the BBS error format.
http::Response plumbing_error(http::StatusCode status, std::string_view message);
// 200 with the given JSON object, or {} when empty.
http::Response ok_response(std::string json = "{}");
// 200 {} when the call succeeded, its error otherwise.
inline http::Response answer(const Status& s) {
  return s ? ok_response() : error_response(s.error());
}

// Parses the request body as a JSON object (an empty body reads as {}) and runs `read` on
// it. Every problem, from the JSON syntax to each mistyped field, becomes one
// InvalidRequest naming them.
Status read_body(const http::RequestContext& ctx,
                 const std::function<void(json::ObjectReader&)>& read);

// {"<key>": [write(item)...]}
template <class T>
std::string list_json(std::string_view key, const std::vector<T>& items) {
  json::Writer w;
  w.start_object().key(key).start_array();
  for (const auto& item : items) write(w, item);
  w.end_array().end_object();
  return w.str();
}

// {"<key>": write(item)}
template <class T>
std::string object_json(std::string_view key, const T& item) {
  json::Writer w;
  w.start_object().key(key);
  write(w, item);
  w.end_object();
  return w.str();
}

}  // namespace cupola::bbs
