#include "bbs/src/controllers/http_auctioneer_client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "common/json/json.h"

namespace cupola::bbs {
namespace asio = boost::asio;

namespace {

template <class T>
void write_common(json::Writer& w, const T& r) {
  w.field("domain", r.domain);
  w.field("memory_mb", r.memory_mb).field("disk_mb", r.disk_mb).field("max_pids", r.max_pids);
  w.field("root_fs", r.root_fs);
  w.key("placement_tags").start_array();
  for (const auto& t : r.placement_tags) w.value(t);
  w.end_array();
}

}  // namespace

std::string lrp_auctions_json(const std::vector<LrpStartRequest>& requests) {
  json::Writer w;
  w.start_object().key("lrps").start_array();
  for (const auto& r : requests) {
    w.start_object().field("process_guid", r.process_guid).field("index", r.index);
    write_common(w, r);
    w.end_object();
  }
  w.end_array().end_object();
  return w.str();
}

std::string task_auctions_json(const std::vector<TaskStartRequest>& tasks) {
  json::Writer w;
  w.start_object().key("tasks").start_array();
  for (const auto& t : tasks) {
    w.start_object().field("task_guid", t.task_guid);
    write_common(w, t);
    w.end_object();
  }
  w.end_array().end_object();
  return w.str();
}

HttpAuctioneerClient::HttpAuctioneerClient(http::Client& client, std::string base_url,
                                           log::Logger log)
    : client_(client), base_url_(std::move(base_url)), log_(std::move(log)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
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
      [this, url = base_url_ + path, body = std::move(body),
       count]() mutable -> asio::awaitable<void> {
        auto res = co_await client_.post(url, std::move(body), "application/json");
        if (!res) {
          log_.error("auctioneer-request-failed", res.error().message,
                     {{"url", url}, {"count", count}});
        } else if (res->status / 100 != 2) {
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
