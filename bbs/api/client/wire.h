#pragma once

// Internal to the BBS client: request bodies, and turning what the BBS answered into records
// or typed errors.

#include <string>
#include <string_view>
#include <vector>

#include "bbs/api/codec/codec.h"
#include "bbs/api/models/errors.h"
#include "common/core/result.h"
#include "common/http/client/message.h"
#include "common/json/json.h"

namespace cupola::bbs::client_detail {

// {"<key>": write(record)}
template <class T>
std::string body_with(std::string_view key, const T& record) {
  json::Writer w;
  w.start_object().key(key);
  write(w, record);
  w.end_object();
  return w.str();
}

// The error a non-2xx answer stands for: the BBS error of its {"error": {"type",
// "message"}} body. Answers the HTTP layer wrote itself ({"error": {"code", "message"}} or
// no JSON) map by status: 400 and 413 InvalidRequest, 408 Errc::Timeout, 500 UnknownError,
// 502-504 Errc::Unavailable (a proxy or an overloaded server), any other InvalidResponse.
// `context` ("POST <url>") prefixes messages this side writes; the BBS's own messages are
// kept as they are.
Error error_of(const http::ClientResponse& response, std::string_view context);

// The JSON object of a 2xx answer (an empty body reads as {}), or error_of the answer.
// A body that is not a JSON object is InvalidResponse.
Result<json::Document> answer_of(const http::ClientResponse& response, std::string_view context);

// InvalidResponse naming `context` and the reader's problems.
Error invalid_response(std::string_view context, const json::ObjectReader& reader);

// Reads member `key` of `doc` as one record.
template <class T>
Result<T> read_record(const json::Document& doc, std::string_view key, std::string_view context) {
  json::ObjectReader r(doc);
  auto member = r.object(key, true);
  T record{};
  if (r.ok()) read(member, record);
  if (!r.ok()) return invalid_response(context, r);
  return record;
}

// Reads member `key` of `doc` as an array of records.
template <class T>
Result<std::vector<T>> read_records(const json::Document& doc, std::string_view key,
                                    std::string_view context) {
  json::ObjectReader r(doc);
  std::vector<T> records;
  const json::Value* items = r.find(key);
  if (!items || !items->IsArray()) {
    r.problem(key, "expected an array");
    return invalid_response(context, r);
  }
  records.reserve(items->Size());
  for (rapidjson::SizeType i = 0; i < items->Size(); ++i) {
    json::ObjectReader item((*items)[i],
                            r.path_of(std::string(key) + "[" + std::to_string(i) + "]"), r);
    T record{};
    read(item, record);
    records.push_back(std::move(record));
  }
  if (!r.ok()) return invalid_response(context, r);
  return records;
}

}  // namespace cupola::bbs::client_detail
