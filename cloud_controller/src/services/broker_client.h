#pragma once

// The Cloud Controller's side of the Open Service Broker API (v2.17): requests to a broker
// with basic auth, X-Broker-API-Version and X-Broker-API-Originating-Identity, and the
// broker's failures in the words Cloud Foundry gives users.

#include <chrono>
#include <optional>
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

// One request to a broker: `path` has its query ("/v2/service_instances/ID?accepts_incomplete=
// true"); `body` is JSON, or "" for none.
struct BrokerRequest {
  http::Method method = http::Method::Get;
  std::string path;
  std::string body;
};

struct BrokerReply {
  unsigned status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;  // the broker's Retry-After, in seconds
};

// Errors: Timeout when the broker took longer than `timeout`; Unavailable when it could not
// be reached. Any status is a reply.
boost::asio::awaitable<Result<BrokerReply>> call_broker(http::Client& client, BrokerEndpoint broker,
                                                        BrokerRequest req, std::string user_guid,
                                                        std::chrono::milliseconds timeout);

enum class BrokerAction { provision, update, deprovision, bind, unbind, fetch_binding };

// What a broker's reply to an action means, by the OSB spec's rules for each status.
struct BrokerOutcome {
  enum class Kind { done, accepted, failed };
  Kind kind = Kind::failed;
  std::string description;  // failed: for the user; never holds credentials
  std::string operation;    // accepted: the broker's operation token, if any
  std::optional<std::string> dashboard_url;
  std::optional<std::string> credentials_json;  // bind, fetch_binding: the credentials object
  std::optional<std::string> syslog_drain_url;
  // failed: the broker may have made something (a timeout, a 5xx, an unreadable success), so
  // the platform undoes it: orphan mitigation.
  bool orphan_mitigation = false;
  std::optional<std::chrono::seconds> retry_after;
};

BrokerOutcome judge_reply(BrokerAction action, const Result<BrokerReply>& reply,
                          const std::string& url);

// What a broker's answer to a last_operation poll means.
struct PollOutcome {
  enum class Kind { in_progress, succeeded, failed };
  Kind kind = Kind::in_progress;
  std::string description;
  std::optional<std::chrono::seconds> retry_after;
};

// `action` is what is being polled for: a 410 means success for deprovision and unbind. An
// unreachable broker, a 5xx or an unreadable answer is "in progress": polling goes on.
PollOutcome judge_poll(BrokerAction action, const Result<BrokerReply>& reply);

}  // namespace cupola::cc::services
