#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/log/log.h"
#include "common/nats/client.h"
#include "common/service/service.h"
#include "common/service/wakeup.h"
#include "loggregator/store/envelope_store.h"

namespace cupola::logstore {

// Takes the envelope batches producers publish on logs.<source_id> (ARCHITECTURE §3) into
// the store, as one member of a NATS queue group, so several log stores share the load.
// A Service on the NATS client's executor; start it after the client has connected.
class Ingest final : public Service {
 public:
  Ingest(nats::Client& nats, EnvelopeStore& store, std::string queue_group, log::Logger log);

  std::string name() const override { return "ingest"; }
  boost::asio::awaitable<void> start() override;
  boost::asio::awaitable<void> run() override;
  void stop() override;

  std::int64_t batches() const { return batches_.load(std::memory_order_relaxed); }

 private:
  nats::Client& nats_;
  EnvelopeStore& store_;
  std::string queue_group_;
  log::Logger log_;
  nats::Subscription subscription_;
  Wakeup stopped_;
  bool stopping_ = false;
  std::atomic<std::int64_t> batches_{0};
};

}  // namespace cupola::logstore
