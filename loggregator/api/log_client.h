#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"
#include "loggregator/api/batcher.h"
#include "loggregator/api/envelope.h"

namespace cupola::loggregator {

struct LogClientStats {
  std::uint64_t emitted = 0;              // accepted by emit()
  std::uint64_t sent = 0;                 // envelopes in batches NATS accepted
  std::uint64_t batches = 0;              // batches NATS accepted
  std::uint64_t dropped = 0;              // the sum of the four below
  std::uint64_t dropped_buffer_full = 0;  // the oldest, pushed out by newer ones
  std::uint64_t dropped_too_large = 0;    // larger than one batch may be
  std::uint64_t dropped_publish = 0;      // publish failed (not connected, buffer full)
  std::uint64_t dropped_invalid = 0;      // refused by emit(): a bad source_id, or stopped
  std::uint64_t buffered = 0;             // waiting for their batch now
};

// Every log producer's way onto NATS (ARCHITECTURE §3): emit() envelopes from any thread;
// they are batched per source (LogBatcher) and published as {"batch":[...]} on
// logs.<source_id> when a batch fills, or every flush_interval. emit() never waits for NATS:
// under overload the oldest buffered envelopes are dropped and counted.
//
// A Service: run() is the flush loop, on `executor`; stop() (on the executor) ends it after
// everything buffered has been published. The NATS client must outlive this object and be
// connected before envelopes can go out (publishes meanwhile fail and are counted). Destroy
// the client only after run() has returned, or while the executor no longer runs.
class LogClient final : public Service {
 public:
  LogClient(boost::asio::any_io_executor executor, nats::Client& nats, const Clock& clock,
            BatcherOptions options, log::Logger logger);
  ~LogClient() override;
  LogClient(const LogClient&) = delete;
  LogClient& operator=(const LogClient&) = delete;

  // Buffers `e` for publishing; a timestamp of 0 becomes the clock's now. Thread-safe; never
  // blocks beyond a short lock. False (and counted in dropped_invalid) when the source_id
  // cannot be a subject (validate_source_id) or after stop().
  bool emit(Envelope e);

  // Thread-safe.
  LogClientStats stats() const;

  // Service
  std::string name() const override { return "log-client"; }
  boost::asio::awaitable<void> run() override;
  void stop() override;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace cupola::loggregator
