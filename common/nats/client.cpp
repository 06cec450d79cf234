#include "common/nats/client.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/time.h"
#include "common/nats/cnats.h"
#include "common/nats/connection_events.h"
#include "common/nats/subject.h"
#include "common/nats/subscription_state.h"

namespace cupola::nats {
namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

// Runs a blocking cnats call on `pool` and resumes the caller on its own executor.
template <class F>
asio::awaitable<std::invoke_result_t<F>> run_blocking(asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F>;
  co_return co_await asio::co_spawn(
      pool.get_executor(), [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::use_awaitable);
}

struct Attempt {
  natsStatus status = NATS_OK;
  natsConnection* nc = nullptr;
};

}  // namespace

Client::Client(asio::any_io_executor executor, ClientOptions options, const log::Logger& logger)
    : executor_(std::move(executor)), options_(std::move(options)), log_(logger.session("nats")) {}

Client::~Client() {
  if (events_) events_->deactivate();
  close();
  if (inbox_) inbox_->unsubscribe();
  blocking_.join();
  if (auto* nc = conn_.exchange(nullptr)) natsConnection_Destroy(nc);
}

void Client::on_connection_event(EventHandler handler) { user_handler_ = std::move(handler); }

asio::awaitable<Status> Client::connect() {
  if (connecting_ || conn_.load() != nullptr) {
    co_return make_error(Errc::Conflict, "the NATS client is already connected or connecting");
  }
  if (closed_) co_return make_error(Errc::Cancelled, "the NATS client is closed");
  if (options_.servers.empty()) {
    co_return make_error(Errc::InvalidArgument, "no NATS server URLs are configured");
  }
  if (auto opened = detail::open_library(); !opened) co_return opened;

  events_ = std::make_shared<detail::ConnectionEvents>(
      executor_, log_, [this](ConnectionEvent event) { handle_event(event); });
  auto opts = detail::make_options(options_, *events_);
  if (!opts) {
    events_->release_unused();
    co_return std::move(opts).error();
  }

  auto servers = fmt::format("{}", fmt::join(options_.servers, ","));
  auto deadline = std::chrono::steady_clock::now() + options_.connect_retry_for;
  auto backoff = options_.connect_backoff_min;
  asio::steady_timer timer(executor_);
  connecting_ = true;
  connect_backoff_ = &timer;
  Error last{make_error_code(Errc::Unavailable), "no attempt made"};
  for (int attempt = 1;; ++attempt) {
    auto result = co_await run_blocking(blocking_, [o = opts->get()] {
      Attempt a;
      a.status = natsConnection_Connect(&a.nc, o);
      return a;
    });
    if (result.status == NATS_OK) {
      conn_ = result.nc;
      break;
    }
    last = detail::to_error(result.status, fmt::format("connect to {}", servers));
    auto now = std::chrono::steady_clock::now();
    if (closed_ || now >= deadline) break;
    auto wait = std::min<std::chrono::steady_clock::duration>(backoff, deadline - now);
    log_.info("connect.retrying",
              {{"attempt", attempt},
               {"error", last.message},
               {"retry_in", format_duration(std::chrono::duration_cast<milliseconds>(wait))}});
    timer.expires_after(wait);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (closed_) break;
    backoff = std::min(backoff * 2, options_.connect_backoff_max);
  }
  connecting_ = false;
  connect_backoff_ = nullptr;

  auto* nc = conn_.load();
  if (nc == nullptr) {
    events_->release_unused();
    if (closed_) {
      co_return make_error(Errc::Cancelled, "the NATS client was closed while connecting");
    }
    co_return make_error(Errc::Unavailable,
                         fmt::format("no NATS server answered within {}: {}",
                                     format_duration(options_.connect_retry_for), last.message));
  }
  if (closed_) {
    natsConnection_Close(nc);
    co_return make_error(Errc::Cancelled, "the NATS client was closed while connecting");
  }
  if (auto inbox = start_inbox(); !inbox) {
    close();
    co_return inbox;
  }
  char url[256] = {};
  natsConnection_GetConnectedUrl(nc, url, sizeof(url));
  log_.info("connected", {{"url", url}});
  co_return Status{};
}

Status Client::publish(std::string_view subject, std::string_view data, std::string_view reply) {
  if (auto valid = validate_publish_subject(subject); !valid) return valid;
  if (!reply.empty()) {
    if (auto valid = validate_publish_subject(reply); !valid) return valid;
  }
  return publish_unchecked(subject, data, reply);
}

Status Client::respond(const Message& request, std::string_view data) {
  if (request.reply.empty()) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("the message on \"{}\" has no reply subject", request.subject));
  }
  return publish(request.reply, data);
}

Status Client::publish_unchecked(std::string_view subject, std::string_view data,
                                 std::string_view reply) {
  auto* nc = conn_.load();
  if (nc == nullptr) {
    return make_error(Errc::Unavailable, "the NATS client is not connected");
  }
  auto max = natsConnection_GetMaxPayload(nc);
  if (max > 0 && data.size() > static_cast<std::size_t>(max)) {
    return make_error(Errc::LimitExceeded,
                      fmt::format("a payload of {} bytes for \"{}\" exceeds the server's limit "
                                  "of {} bytes",
                                  data.size(), subject, max));
  }
  std::string subj(subject);
  std::string rep(reply);
  auto size = static_cast<int>(data.size());
  natsStatus s =
      rep.empty() ? natsConnection_Publish(nc, subj.c_str(), data.data(), size)
                  : natsConnection_PublishRequest(nc, subj.c_str(), rep.c_str(), data.data(), size);
  if (s != NATS_OK) return detail::to_error(s, fmt::format("publish to \"{}\"", subject));
  return {};
}

Result<Subscription> Client::subscribe(std::string_view subject, MessageHandler handler) {
  return start_subscription(subject, {}, std::move(handler));
}

Result<Subscription> Client::queue_subscribe(std::string_view subject, std::string_view queue,
                                             MessageHandler handler) {
  if (auto valid = validate_queue_group(queue); !valid) return std::move(valid).error();
  return start_subscription(subject, queue, std::move(handler));
}

Result<Subscription> Client::start_subscription(std::string_view subject, std::string_view queue,
                                                MessageHandler handler) {
  if (auto valid = validate_subscribe_subject(subject); !valid) return std::move(valid).error();
  auto* nc = conn_.load();
  if (nc == nullptr || closed_) {
    return make_error(Errc::Unavailable, "the NATS client is not connected");
  }
  auto state = detail::SubscriptionState::start(
      nc, std::string(subject), std::string(queue), executor_, log_,
      [handler = std::move(handler)](Message m, bool) { handler(std::move(m)); });
  if (!state) return std::move(state).error();
  std::erase_if(subscriptions_, [](const auto& weak) { return weak.expired(); });
  subscriptions_.push_back(*state);
  log_.debug("subscribed", {{"subject", std::string(subject)}, {"queue", std::string(queue)}});
  return Subscription(std::move(state).value());
}

asio::awaitable<Status> Client::flush(milliseconds timeout) {
  auto* nc = conn_.load();
  if (nc == nullptr) co_return make_error(Errc::Unavailable, "the NATS client is not connected");
  auto s = co_await run_blocking(
      blocking_, [nc, timeout] { return natsConnection_FlushTimeout(nc, timeout.count()); });
  if (s != NATS_OK) co_return detail::to_error(s, "flush to the NATS server");
  co_return Status{};
}

ConnectionStatus Client::status() const {
  if (auto* nc = conn_.load()) return detail::to_status(natsConnection_Status(nc));
  if (connecting_) return ConnectionStatus::Connecting;
  return closed_ ? ConnectionStatus::Closed : ConnectionStatus::Disconnected;
}

std::size_t Client::max_payload() const {
  auto* nc = conn_.load();
  return nc == nullptr ? 0 : static_cast<std::size_t>(natsConnection_GetMaxPayload(nc));
}

}  // namespace cupola::nats
