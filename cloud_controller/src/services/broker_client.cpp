#include "cloud_controller/src/services/broker_client.h"

#include "common/core/base64.h"

namespace cupola::cc::services {

std::string originating_identity(const std::string& user_guid) {
  return "cloudfoundry " + base64_encode(R"({"user_id":")" + user_guid + R"("})");
}

namespace {

// Built outside the coroutine: GCC 12 mishandles initializer lists in coroutine frames.
http::Headers broker_headers(const BrokerEndpoint& broker, const std::string& user_guid) {
  return {{"Authorization", "Basic " + base64_encode(broker.username + ":" + broker.password)},
          {"X-Broker-API-Version", kBrokerApiVersion},
          {"X-Broker-API-Originating-Identity", originating_identity(user_guid)},
          {"Accept", "application/json"}};
}

}  // namespace

boost::asio::awaitable<Result<std::string>> fetch_catalog(http::Client& client,
                                                          BrokerEndpoint broker,
                                                          std::string user_guid) {
  std::string url = broker.url + "/v2/catalog";
  http::Headers headers = broker_headers(broker, user_guid);
  auto res = co_await client.get(std::move(url), std::move(headers));
  if (!res) {
    co_return make_error(Errc::Unavailable,
                         "The service broker could not be reached: " + broker.url + "/v2/catalog");
  }
  if (res->status == 401) {
    co_return make_error(Errc::Unavailable,
                         "Authentication failed for the service broker API. Double-check that the "
                         "username and password are correct: " +
                             broker.url + "/v2/catalog");
  }
  if (res->status != 200) {
    co_return make_error(Errc::Unavailable,
                         "The service broker returned an invalid response: expected status 200, "
                         "broker returned status code " +
                             std::to_string(res->status) + " from " + broker.url + "/v2/catalog");
  }
  std::string body = std::move(res->body);
  co_return body;
}

}  // namespace cupola::cc::services
