#pragma once

// The Cloud Controller's side of the Open Service Broker API (v2.17): requests to a broker
// with basic auth, X-Broker-API-Version and X-Broker-API-Originating-Identity, and the
// broker's failures in the words Cloud Foundry gives users.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"
#include "common/http/client/client.h"

namespace cupola::cc::services {

inline constexpr const char* kBrokerApiVersion = "2.17";

struct BrokerEndpoint {
  std::string url;  // no trailing slash
  std::string username;
  std::string password;
};

// The X-Broker-API-Originating-Identity value for a Cloud Foundry user.
std::string originating_identity(const std::string& user_guid);

// GET /v2/catalog; the body of a 200. Errors: Unavailable (unreachable, or an answer other
// than 200) with a message for the user; the URL is named, credentials never.
boost::asio::awaitable<Result<std::string>> fetch_catalog(http::Client& client,
                                                          BrokerEndpoint broker,
                                                          std::string user_guid);

}  // namespace cupola::cc::services
