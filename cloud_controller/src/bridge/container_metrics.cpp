#include "cloud_controller/src/bridge/container_metrics.h"

#include "loggregator/api/codec.h"

namespace cupola::cc {
namespace asio = boost::asio;

namespace {

// Enough envelopes for the newest gauge of every instance of a large app.
constexpr int kReadLimit = 1000;

}  // namespace

LogCacheMetrics::LogCacheMetrics(http::Client& client, std::string base_url,
                                 std::function<Result<std::string>()> token)
    : client_(client), base_url_(std::move(base_url)), token_(std::move(token)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

asio::awaitable<Result<std::map<std::int64_t, InstanceUsage>>> LogCacheMetrics::usage(
    std::string app_guid) {
  auto now = std::chrono::steady_clock::now();
  if (cached_.empty() || now >= cached_until_) {
    auto fresh = token_();
    if (!fresh) co_return std::move(fresh).error();
    cached_ = std::move(*fresh);
    cached_until_ = now + std::chrono::minutes(5);
  }
  std::optional<std::string> token = cached_;
  std::string url = base_url_ + "/api/v1/read/" + app_guid +
                    "?envelope_types=GAUGE&descending=true&limit=" + std::to_string(kReadLimit);
  http::Headers headers;
  headers.push_back({"Authorization", "bearer " + *token});
  auto res = co_await client_.get(std::move(url), std::move(headers));
  if (!res) co_return std::move(res).error();
  if (res->status != 200) {
    co_return make_error(Errc::Unavailable,
                         "the log store answered " + std::to_string(res->status));
  }
  auto envelopes = loggregator::decode_read_response(res->body);
  if (!envelopes) co_return std::move(envelopes).error();
  std::map<std::int64_t, InstanceUsage> out;
  for (const auto& e : *envelopes) {
    const auto* gauge = e.gauge();
    if (gauge == nullptr || !gauge->metrics.count("memory")) continue;
    std::int64_t index = 0;
    try {
      index = std::stoll(e.instance_id);
    } catch (const std::exception&) {
      continue;
    }
    auto& slot = out[index];
    if (slot.time_ns >= e.timestamp) continue;  // newest first, but keep the newest anyway
    slot.time_ns = e.timestamp;
    auto value = [&](const char* name) {
      auto it = gauge->metrics.find(name);
      return it == gauge->metrics.end() ? 0.0 : it->second.value;
    };
    slot.cpu = value("cpu");
    slot.memory = static_cast<std::int64_t>(value("memory"));
    slot.disk = static_cast<std::int64_t>(value("disk"));
  }
  co_return out;
}

}  // namespace cupola::cc
