#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/client.h"
#include "common/json/json.h"

namespace cupola::http {

// Sends `body` serialised as JSON (Content-Type and Accept application/json). Any status
// is a successful ClientResponse, as with Client::request.
boost::asio::awaitable<Result<ClientResponse>> send_json(Client& client, Method method,
                                                         std::string url, const json::Value& body,
                                                         Headers headers = {});

// Parses a response body as JSON (within json::ParseLimits{max_bytes = body size}).
// Errc::InvalidArgument when it is not JSON; the message includes the status.
Result<json::Document> json_body(const ClientResponse& response);

}  // namespace cupola::http
