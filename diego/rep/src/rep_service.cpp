#include "diego/rep/src/rep_service.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <stdexcept>

#include "common/json/json.h"

namespace cupola::rep {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

RepService::RepService(asio::any_io_executor ex, Cell& cell, bbs::BbsClient& bbs,
                       nats::Client& nats, RepServiceOptions options, log::Logger log)
    : ex_(ex),
      cell_(cell),
      bbs_(bbs),
      nats_(nats),
      options_(options),
      log_(std::move(log)),
      wake_(ex) {}

asio::awaitable<void> RepService::start() {
  co_await cell_.reclaim();
  const std::string prefix = "diego.rep." + cell_.options().cell_id + ".";
  auto sub = [&](const std::string& what, void (RepService::*handler)(const nats::Message&)) {
    auto s =
        nats_.subscribe(prefix + what, [this, handler](nats::Message m) { (this->*handler)(m); });
    if (!s)
      throw std::runtime_error("cannot subscribe to " + prefix + what + ": " + s.error().message);
    subscriptions_.push_back(std::move(s).value());
  };
  sub("state", &RepService::on_state);
  sub("perform", &RepService::on_perform);
  sub("stop_lrp", &RepService::on_stop_lrp);
  sub("cancel_task", &RepService::on_cancel_task);
  if (auto st = co_await nats_.flush(std::chrono::seconds(10)); !st) {
    throw std::runtime_error("nats did not confirm the subscriptions: " + st.error().message);
  }
  co_await heartbeat();
}

asio::awaitable<void> RepService::heartbeat() {
  auto ttl = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(options_.presence_ttl).count());
  auto st = co_await bbs_.heartbeat_cell(cell_.presence(), ttl);
  if (!st && !heartbeat_failing_) log_.error("heartbeat-failed", st.error().message);
  if (st && heartbeat_failing_) log_.info("heartbeat-recovered");
  heartbeat_failing_ = !st;
}

asio::awaitable<void> RepService::run() {
  auto next_heartbeat = Clock::now() + options_.heartbeat_interval;
  auto next_reconcile = Clock::now() + options_.reconcile_interval;
  auto next_metrics = Clock::now() + options_.metrics_interval;
  while (!stopping_) {
    auto next = std::min(next_heartbeat, std::min(next_reconcile, next_metrics));
    co_await wake_.wait_until(next);
    if (stopping_) break;
    auto now = Clock::now();
    if (now >= next_heartbeat) {
      co_await heartbeat();
      next_heartbeat = Clock::now() + options_.heartbeat_interval;
    }
    if (now >= next_reconcile) {
      co_await cell_.reconcile_once();
      next_reconcile = Clock::now() + options_.reconcile_interval;
    }
    if (now >= next_metrics) {
      co_await cell_.sample_metrics();
      next_metrics = Clock::now() + options_.metrics_interval;
    }
  }
  // Evacuate while still heartbeating, so the BBS keeps trusting this cell's instances.
  bool evacuated = false;
  asio::co_spawn(
      ex_,
      [this, &evacuated]() -> asio::awaitable<void> {
        co_await cell_.evacuate(options_.evacuation_timeout);
        evacuated = true;
        wake_.notify();
      },
      asio::detached);
  while (!evacuated) {
    co_await wake_.wait_until(Clock::now() + options_.heartbeat_interval);
    if (!evacuated) co_await heartbeat();
  }
  subscriptions_.clear();
  log_.info("evacuated");
}

void RepService::stop() {
  if (stopping_) return;
  stopping_ = true;
  log_.info("evacuating");
  wake_.notify();
}

void RepService::on_state(const nats::Message& m) {
  if (m.reply.empty()) return;
  if (auto st = nats_.respond(m, auctioneer::to_json(cell_.state())); !st) {
    log_.error("state-reply-failed", st.error().message);
  }
}

void RepService::on_perform(const nats::Message& m) {
  auto work = auctioneer::work_from_json(m.data);
  auctioneer::Work refused;
  if (!work) {
    log_.error("perform-invalid", work.error().message);
  } else {
    refused = cell_.perform(*work);
  }
  if (!m.reply.empty()) {
    if (auto st = nats_.respond(m, auctioneer::to_perform_reply_json(refused)); !st) {
      log_.error("perform-reply-failed", st.error().message);
    }
  }
}

void RepService::on_stop_lrp(const nats::Message& m) {
  auto doc = json::parse(m.data);
  if (!doc) {
    log_.error("stop-lrp-invalid", doc.error().message);
    return;
  }
  json::ObjectReader r(*doc);
  bbs::ActualLrpKey key;
  bbs::ActualLrpInstanceKey instance_key;
  r.required("process_guid", key.process_guid);
  r.required("index", key.index);
  r.optional("domain", key.domain);
  r.required("instance_guid", instance_key.instance_guid);
  r.optional("cell_id", instance_key.cell_id);
  if (auto st = r.status("stop_lrp"); !st) {
    log_.error("stop-lrp-invalid", st.error().message);
    return;
  }
  cell_.stop_lrp(key, instance_key);
}

void RepService::on_cancel_task(const nats::Message& m) {
  auto doc = json::parse(m.data);
  if (!doc) {
    log_.error("cancel-task-invalid", doc.error().message);
    return;
  }
  json::ObjectReader r(*doc);
  std::string task_guid;
  r.required("task_guid", task_guid);
  if (auto st = r.status("cancel_task"); !st) {
    log_.error("cancel-task-invalid", st.error().message);
    return;
  }
  cell_.cancel_task(task_guid);
}

}  // namespace cupola::rep
