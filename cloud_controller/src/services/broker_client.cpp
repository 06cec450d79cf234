#include "cloud_controller/src/services/broker_client.h"

#include <charconv>

#include "common/core/base64.h"
#include "common/json/json.h"

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

namespace {

// Retry-After in seconds (RFC 9110's delay-seconds; an HTTP date is not taken).
std::optional<std::chrono::seconds> retry_after_of(const http::ClientResponse& res) {
  auto after = res.header("Retry-After");
  if (!after) return std::nullopt;
  long seconds = 0;
  const char* last = after->data() + after->size();
  auto parsed = std::from_chars(after->data(), last, seconds);
  if (parsed.ec != std::errc{} || parsed.ptr != last || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

}  // namespace

boost::asio::awaitable<Result<BrokerReply>> call_broker(http::Client& client, BrokerEndpoint broker,
                                                        BrokerRequest req, std::string user_guid,
                                                        std::chrono::milliseconds timeout) {
  http::ClientRequest out;
  out.method = req.method;
  out.url = broker.url + req.path;
  out.headers = broker_headers(broker, user_guid);
  if (!req.body.empty()) {
    http::Header content_type;
    content_type.name = "Content-Type";
    content_type.value = "application/json";
    out.headers.push_back(std::move(content_type));
    out.body = std::move(req.body);
  }
  out.timeout = timeout;
  auto res = co_await client.request(std::move(out));
  if (!res) {
    if (res.error().code == make_error_code(Errc::Timeout)) {
      co_return make_error(Errc::Timeout, "timed out");
    }
    co_return make_error(Errc::Unavailable, "unreachable");
  }
  BrokerReply reply;
  reply.status = res->status;
  reply.body = std::move(res->body);
  reply.retry_after = retry_after_of(*res);
  co_return reply;
}

namespace {

constexpr std::size_t kShownBody = 200;

std::string shown(const std::string& body) {
  if (body.size() <= kShownBody) return body;
  return body.substr(0, kShownBody) + "...";
}

// The broker's own words for a failure: its description, else its error code.
std::string broker_error(const BrokerReply& r) {
  auto doc = json::parse(r.body);
  if (doc && doc->IsObject()) {
    for (const char* key : {"description", "error"}) {
      auto it = doc->FindMember(key);
      if (it != doc->MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
        return std::string("Service broker error: ") + it->value.GetString();
      }
    }
  }
  return "The service broker rejected the request. Status Code: " + std::to_string(r.status) +
         ", Body: " + shown(r.body);
}

std::optional<std::string> text_member(const json::Value& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString());
}

BrokerOutcome failed(std::string description, bool mitigate) {
  BrokerOutcome o;
  o.kind = BrokerOutcome::Kind::failed;
  o.description = std::move(description);
  o.orphan_mitigation = mitigate;
  return o;
}

bool is_binding(BrokerAction a) {
  return a == BrokerAction::bind || a == BrokerAction::fetch_binding;
}

// A 2xx with a body: done (or accepted) with what it carries, or failed when it is unreadable
// (then something may exist at the broker that the platform does not know of).
BrokerOutcome read_success(BrokerAction action, const BrokerReply& r, bool accepted) {
  bool mitigate = action == BrokerAction::provision || action == BrokerAction::bind;
  std::string body = r.body.empty() ? "{}" : r.body;
  auto doc = json::parse(body);
  if (!doc || !doc->IsObject()) {
    return failed(
        "The service broker returned an invalid response: expected valid JSON object in body, "
        "broker returned '" +
            shown(r.body) + "'",
        mitigate);
  }
  BrokerOutcome o;
  o.kind = accepted ? BrokerOutcome::Kind::accepted : BrokerOutcome::Kind::done;
  o.retry_after = r.retry_after;
  if (auto op = text_member(*doc, "operation")) o.operation = *op;
  if (auto url = text_member(*doc, "dashboard_url")) o.dashboard_url = *url;
  if (is_binding(action) && !accepted) {
    auto creds = doc->FindMember("credentials");
    if (creds != doc->MemberEnd() && !creds->value.IsObject()) {
      return failed(
          "The service broker returned an invalid response: expected credentials to be a JSON "
          "object",
          mitigate);
    }
    json::Writer w;
    if (creds == doc->MemberEnd()) {
      w.start_object().end_object();
    } else {
      w.value(creds->value);
    }
    o.credentials_json = w.str();
    if (auto drain = text_member(*doc, "syslog_drain_url")) o.syslog_drain_url = *drain;
  }
  return o;
}

}  // namespace

BrokerOutcome judge_reply(BrokerAction action, const Result<BrokerReply>& reply,
                          const std::string& url) {
  bool creates = action == BrokerAction::provision || action == BrokerAction::bind;
  if (!reply) {
    if (reply.error().code == make_error_code(Errc::Timeout)) {
      return failed("The request to the service broker timed out: " + url, creates);
    }
    return failed("The service broker could not be reached: " + url, false);
  }
  const BrokerReply& r = *reply;
  bool deletes = action == BrokerAction::deprovision || action == BrokerAction::unbind;
  switch (r.status) {
    case 200:
      return read_success(action, r, false);
    case 201:
      if (creates) return read_success(action, r, false);
      break;
    case 202:
      if (action != BrokerAction::fetch_binding) return read_success(action, r, true);
      break;
    case 410:
      if (deletes) {
        BrokerOutcome gone;
        gone.kind = BrokerOutcome::Kind::done;
        return gone;
      }
      break;
    case 400:
    case 409:
    case 422:
      return failed(broker_error(r), false);
    default:
      break;
  }
  if (r.status >= 400 && r.status < 500) return failed(broker_error(r), false);
  // A 5xx, or a status the spec does not give for this request.
  std::string description =
      r.status >= 500 ? broker_error(r)
                      : "The service broker returned an invalid response: unexpected status " +
                            std::to_string(r.status) + " from " + url;
  return failed(description, creates);
}

PollOutcome judge_poll(BrokerAction action, const Result<BrokerReply>& reply) {
  PollOutcome o;
  if (!reply) return o;
  o.retry_after = reply->retry_after;
  if (reply->status == 410) {
    if (action == BrokerAction::deprovision || action == BrokerAction::unbind) {
      o.kind = PollOutcome::Kind::succeeded;
    } else {
      o.kind = PollOutcome::Kind::failed;
      o.description = "The service broker no longer knows the operation (410 Gone).";
    }
    return o;
  }
  if (reply->status == 400) {
    o.kind = PollOutcome::Kind::failed;
    o.description = broker_error(*reply);
    return o;
  }
  if (reply->status != 200) return o;
  auto doc = json::parse(reply->body);
  if (!doc || !doc->IsObject()) return o;
  auto state = text_member(*doc, "state");
  if (auto d = text_member(*doc, "description")) o.description = *d;
  if (state == "succeeded") {
    o.kind = PollOutcome::Kind::succeeded;
  } else if (state == "failed") {
    o.kind = PollOutcome::Kind::failed;
  }
  return o;
}

}  // namespace cupola::cc::services
