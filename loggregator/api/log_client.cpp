#include "loggregator/api/log_client.h"

#include <algorithm>
#include <atomic>
#include <mutex>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola::loggregator {
namespace asio = boost::asio;

// Shared with handlers posted by emit(), which may run after the LogClient is gone.
struct LogClient::State {
  State(asio::any_io_executor ex, nats::Client& n, const Clock& c, BatcherOptions options,
        log::Logger logger)
      : executor(std::move(ex)),
        timer(executor),
        nats(&n),
        clock(&c),
        log(std::move(logger)),
        batcher(std::move(options)) {}

  // Publishes what is due (everything with `all`). Any thread; one flush at a time, so that
  // each source's batches leave in order.
  void flush(bool all);

  asio::any_io_executor executor;
  asio::steady_timer timer;  // run() and stop(), on the executor
  bool stopping = false;     // on the executor
  nats::Client* nats;
  const Clock* clock;
  log::Logger log;

  mutable std::mutex mu;  // guards batcher and stopped
  LogBatcher batcher;
  bool stopped = false;  // run() has returned: emit() refuses

  std::mutex flush_mu;  // guards closed and publish_failing
  bool closed = false;  // the LogClient is gone; so may be the NATS client
  bool publish_failing = false;
  std::atomic<bool> abandoned{false};  // the LogClient is gone: run() ends at its next tick

  std::atomic<bool> flush_posted{false};
  std::atomic<std::uint64_t> emitted{0};
  std::atomic<std::uint64_t> sent{0};
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> dropped_too_large{0};
  std::atomic<std::uint64_t> dropped_publish{0};
  std::atomic<std::uint64_t> dropped_invalid{0};
};

void LogClient::State::flush(bool all) {
  std::lock_guard flushing(flush_mu);
  if (closed) return;
  std::vector<PendingBatch> pending;
  {
    std::lock_guard lock(mu);
    pending = batcher.take(clock->now(), all);
  }
  if (pending.empty()) return;

  // Encoding happens outside `mu` so that emit() is never held up by it.
  const auto& options = batcher.options();  // immutable after construction
  std::size_t max_bytes = options.max_batch_bytes;
  if (std::size_t server_max = nats->max_payload(); server_max > 0) {
    max_bytes = std::min(max_bytes, server_max);
  }
  std::size_t too_large = 0;
  auto encoded = encode_pending(std::move(pending), max_bytes, options.encoding, too_large);
  dropped_too_large += too_large;
  for (const auto& b : encoded) {
    auto published = nats->publish(b.subject, b.payload);
    if (published) {
      sent += b.envelopes;
      batches += 1;
      publish_failing = false;
      continue;
    }
    dropped_publish += b.envelopes;
    if (!publish_failing) {
      log.error("log-client.publish-failed", published.error().message,
                {{"subject", b.subject}, {"envelopes", b.envelopes}});
    }
    publish_failing = true;
  }
}

LogClient::LogClient(asio::any_io_executor executor, nats::Client& nats, const Clock& clock,
                     BatcherOptions options, log::Logger logger)
    : state_(std::make_shared<State>(std::move(executor), nats, clock, std::move(options),
                                     std::move(logger))) {}

LogClient::~LogClient() {
  state_->abandoned = true;
  std::lock_guard flushing(state_->flush_mu);
  state_->closed = true;
}

bool LogClient::emit(Envelope e) {
  State& s = *state_;
  if (!validate_source_id(e.source_id).ok()) {
    ++s.dropped_invalid;
    return false;
  }
  auto now = s.clock->now();
  if (e.timestamp == 0) e.timestamp = unix_nanos(now);
  bool full = false;
  {
    std::lock_guard lock(s.mu);
    if (s.stopped) {
      ++s.dropped_invalid;
      return false;
    }
    full = s.batcher.add(std::move(e), now);
  }
  ++s.emitted;
  if (full && !s.flush_posted.exchange(true)) {
    asio::post(s.executor, [state = state_] {
      state->flush_posted = false;
      state->flush(false);
    });
  }
  return true;
}

LogClientStats LogClient::stats() const {
  const State& s = *state_;
  LogClientStats st;
  {
    std::lock_guard lock(s.mu);
    st.dropped_buffer_full = s.batcher.dropped();
    st.buffered = s.batcher.buffered();
  }
  st.emitted = s.emitted;
  st.sent = s.sent;
  st.batches = s.batches;
  st.dropped_too_large = s.dropped_too_large;
  st.dropped_publish = s.dropped_publish;
  st.dropped_invalid = s.dropped_invalid;
  st.dropped =
      st.dropped_buffer_full + st.dropped_too_large + st.dropped_publish + st.dropped_invalid;
  return st;
}

asio::awaitable<void> LogClient::run() {
  auto state = state_;  // the loop may outlive this object (see ~LogClient)
  const auto interval = state->batcher.options().flush_interval;
  while (!state->stopping && !state->abandoned) {
    state->timer.expires_after(interval);
    co_await state->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (state->stopping || state->abandoned) break;
    state->flush(false);
  }
  {
    std::lock_guard lock(state->mu);
    state->stopped = true;
  }
  state->flush(true);
}

void LogClient::stop() {
  state_->stopping = true;
  state_->timer.cancel();
}

}  // namespace cupola::loggregator
