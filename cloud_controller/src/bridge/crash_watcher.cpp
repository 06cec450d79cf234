#include "cloud_controller/src/bridge/crash_watcher.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "cloud_controller/src/bridge/recipes.h"
#include "common/json/json.h"

namespace cupola::cc {
namespace asio = boost::asio;

CrashWatcher::CrashWatcher(asio::any_io_executor ex, bbs::BbsClient& bbs, AppsDb& apps,
                           EventsDb& events, GuidGenerator& guids,
                           std::function<void(const std::string&, std::string)> app_log,
                           log::Logger log)
    : ex_(ex),
      bbs_(bbs),
      apps_(apps),
      events_(events),
      guids_(guids),
      app_log_(std::move(app_log)),
      log_(std::move(log)),
      timer_(std::move(ex)) {}

asio::awaitable<void> CrashWatcher::run() {
  while (!stopped_) {
    bbs::EventSubscriptionOptions o;
    o.cancel = cancel_;
    bbs::EventHandler handler = [this](const bbs::Event& e) {
      if (e.type == bbs::event_types::kActualLrpCrashed) {
        asio::co_spawn(ex_, record(e.data), asio::detached);
      }
      return !stopped_;
    };
    Status st = co_await bbs_.subscribe_events(std::move(handler), std::move(o));
    if (stopped_) break;
    if (!st) log_.info("event-stream-ended", {{"reason", st.error().message}});
    timer_.expires_after(std::chrono::seconds(1));
    co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

void CrashWatcher::stop() {
  stopped_ = true;
  cancel_.cancel();
  timer_.cancel();
}

asio::awaitable<void> CrashWatcher::record(std::string data) {
  auto doc = json::parse(data);
  if (!doc || !doc->IsObject()) co_return;
  auto text = [&](const char* key) -> std::string {
    auto it = doc->FindMember(key);
    return it != doc->MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  };
  auto number = [&](const char* key) -> std::int64_t {
    auto it = doc->FindMember(key);
    return it != doc->MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
  };
  std::string process_guid = process_guid_of_lrp(text("process_guid"));
  if (process_guid.empty()) co_return;  // not an app's process
  Viewer all;
  all.admin = true;
  auto process = co_await apps_.process(all, process_guid);
  if (!process || !*process) co_return;
  std::string app_guid = (*process)->app_guid;
  auto app = co_await apps_.app(all, app_guid);
  if (!app || !*app) co_return;
  AuditEvent e;
  e.guid = guids_.next();
  e.type = "audit.app.process.crash";
  e.actor_guid = (*app)->guid;
  e.actor_type = "app";
  e.actor_name = (*app)->name;
  e.target_guid = (*app)->guid;
  e.target_type = "app";
  e.target_name = (*app)->name;
  e.space_guid = (*app)->space_guid;
  json::Writer w;
  w.start_object();
  w.field("index", number("index")).field("reason", "CRASHED");
  w.field("exit_description", text("crash_reason"));
  w.field("instance", text("instance_guid")).field("cell_id", text("cell_id"));
  w.field("crash_count", number("crash_count"));
  w.field("crash_timestamp", number("since")).field("process_type", (*process)->type);
  w.end_object();
  e.data_json = w.str();
  if (app_log_) {
    app_log_((*app)->guid,
             "App instance exited with guid " + (*app)->guid + " payload: " + e.data_json);
  }
  if (auto st = co_await events_.record(std::move(e)); !st) {
    log_.error("crash-event-failed", st.error().message, {{"app_guid", app_guid}});
  }
}

}  // namespace cupola::cc
