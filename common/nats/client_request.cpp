#include "common/nats/client.h"

#include <optional>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/core/time.h"
#include "common/nats/cnats.h"
#include "common/nats/subject.h"
#include "common/nats/subscription_state.h"

namespace cupola::nats {
namespace asio = boost::asio;

// Lives in the frame of the request() waiting for it; pending_ points at it meanwhile.
struct Client::PendingRequest {
  std::string subject;
  asio::steady_timer* timer;
  std::optional<Result<Message>> result;
};

Status Client::start_inbox() {
  natsInbox* inbox = nullptr;
  natsStatus s = natsInbox_Create(&inbox);
  if (s != NATS_OK) return detail::to_error(s, "create a reply inbox");
  inbox_prefix_ = std::string(inbox) + ".";
  natsInbox_Destroy(inbox);
  auto state = detail::SubscriptionState::start(
      conn_.load(), inbox_prefix_ + "*", {}, executor_, log_,
      [this](Message m, bool no_responders) { on_reply(std::move(m), no_responders); });
  if (!state) return std::move(state).error();
  inbox_ = std::move(state).value();
  return {};
}

asio::awaitable<Result<Message>> Client::request(std::string subject, std::string data,
                                                 std::chrono::milliseconds timeout) {
  if (auto valid = validate_publish_subject(subject); !valid) co_return std::move(valid).error();
  if (closed_) co_return make_error(Errc::Cancelled, "the NATS client was closed");
  if (!inbox_) co_return make_error(Errc::Unavailable, "the NATS client is not connected");

  auto token = std::to_string(++next_request_);
  asio::steady_timer timer(executor_, timeout);
  PendingRequest pending{subject, &timer, std::nullopt};
  pending_.emplace(token, &pending);
  if (auto sent = publish_unchecked(subject, data, inbox_prefix_ + token); !sent) {
    pending_.erase(token);
    co_return std::move(sent).error();
  }
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  pending_.erase(token);
  if (pending.result) co_return std::move(*pending.result);
  co_return make_error(Errc::Timeout, fmt::format("no reply to the request on \"{}\" within {}",
                                                  subject, format_duration(timeout)));
}

void Client::on_reply(Message message, bool no_responders) {
  auto it = pending_.find(message.subject.substr(inbox_prefix_.size()));
  if (it == pending_.end()) {
    log_.debug("request.late-reply", {{"subject", message.subject}});
    return;
  }
  PendingRequest* pending = it->second;
  pending_.erase(it);
  if (no_responders) {
    pending->result =
        make_error(Errc::Unavailable,
                   fmt::format("no responders for the request on \"{}\"", pending->subject));
  } else {
    pending->result = std::move(message);
  }
  pending->timer->cancel();
}

void Client::fail_pending(const Error& error) {
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [token, request] : pending) {
    request->result = error;
    request->timer->cancel();
  }
}

}  // namespace cupola::nats
