#include "bbs/src/controllers/http_auctioneer_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "bbs/api/codec/codec.h"
#include "common/json/json.h"

namespace cupola::bbs {
namespace asio = boost::asio;

std::string lrp_auctions_json(const std::vector<LrpStartRequest>& requests) {
  json::Writer w;
  w.start_object().key("lrps").start_array();
  for (const auto& r : requests) {
    write(w, r);
  }
  w.end_array().end_object();
  return w.str();
}

std::string task_auctions_json(const std::vector<TaskStartRequest>& tasks) {
  json::Writer w;
  w.start_object().key("tasks").start_array();
  for (const auto& t : tasks) {
    write(w, t);
  }
  w.end_array().end_object();
  return w.str();
}

HttpAuctioneerClient::HttpAuctioneerClient(http::Client& client, std::string base_url,
                                           log::Logger log)
    : client_(client), base_url_(std::move(base_url)), log_(std::move(log)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

HttpAuctioneerClient::HttpAuctioneerClient(http::Client& client, AuctioneerDiscovery discovery,
                                           log::Logger log)
    : client_(client),
      log_(std::move(log)),
      locks_(&discovery.locks),
      clock_(&discovery.clock),
      lock_key_(std::move(discovery.key)),
      cache_for_(discovery.cache_for) {}

asio::awaitable<Result<std::string>> HttpAuctioneerClient::base_url() {
  if (locks_ == nullptr) co_return base_url_;
  auto now = clock_->now();
  if (!base_url_.empty() && now < cached_until_) co_return base_url_;
  auto lock = co_await locks_->get(lock_key_, unix_nanos(now));
  if (!lock) co_return std::move(lock).error();
  std::string url = std::move(lock->value);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) {
    co_return make_error(Errc::Unavailable, "the " + lock_key_ + " lock names no URL");
  }
  if (url != base_url_) log_.info("auctioneer-discovered", {{"url", url}});
  base_url_ = std::move(url);
  cached_until_ = now + cache_for_;
  co_return base_url_;
}

void HttpAuctioneerClient::request_lrp_auctions(std::vector<LrpStartRequest> requests) {
  if (requests.empty()) return;
  post("/v1/lrps", lrp_auctions_json(requests), requests.size());
}

void HttpAuctioneerClient::request_task_auctions(std::vector<TaskStartRequest> tasks) {
  if (tasks.empty()) return;
  post("/v1/tasks", task_auctions_json(tasks), tasks.size());
}

void HttpAuctioneerClient::post(std::string path, std::string body, std::size_t count) {
  asio::co_spawn(
      client_.executor(),
      [this, path = std::move(path), body = std::move(body),
       count]() mutable -> asio::awaitable<void> {
        auto base = co_await base_url();
        if (!base) {
          log_.error("auctioneer-unknown", base.error().message, {{"count", count}});
          co_return;
        }
        std::string url = *base + path;
        auto res = co_await client_.post(url, std::move(body), "application/json");
        if (!res) {
          cached_until_ = {};
          log_.error("auctioneer-request-failed", res.error().message,
                     {{"url", url}, {"count", count}});
        } else if (res->status / 100 != 2) {
          cached_until_ = {};
          log_.error("auctioneer-request-refused", res->body,
                     {{"url", url}, {"status", res->status}, {"count", count}});
        }
      },
      [log = log_](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          log.error("auctioneer-request-failed", ex.what());
        }
      });
}

}  // namespace cupola::bbs
