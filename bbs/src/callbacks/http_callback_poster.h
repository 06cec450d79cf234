#pragma once

#include "bbs/src/callbacks/callback_worker.h"
#include "common/http/client/client.h"

namespace cupola::bbs {

// Completion callbacks over the platform's HTTP client.
class HttpCallbackPoster final : public CallbackPoster {
 public:
  explicit HttpCallbackPoster(http::Client& client) : client_(client) {}

  boost::asio::awaitable<Result<unsigned>> post_json(std::string url, std::string body) override {
    auto res = co_await client_.post(std::move(url), std::move(body), "application/json");
    if (!res) co_return std::move(res).error();
    co_return res->status;
  }

 private:
  http::Client& client_;
};

}  // namespace cupola::bbs
