#include "loggregator/server/ingest.h"

#include <stdexcept>

namespace cupola::logstore {

Ingest::Ingest(nats::Client& nats, EnvelopeStore& store, std::string queue_group, log::Logger log)
    : nats_(nats),
      store_(store),
      queue_group_(std::move(queue_group)),
      log_(std::move(log)),
      stopped_(nats.executor()) {}

boost::asio::awaitable<void> Ingest::start() {
  auto sub = nats_.queue_subscribe("logs.>", queue_group_, [this](nats::Message m) {
    ++batches_;
    // A batch that does not decode is counted by the store (decode_error) and dropped whole.
    auto stored = store_.ingest(m.data);
    if (!stored) {
      log_.debug("ingest.batch-refused",
                 {{"subject", m.subject}, {"error", stored.error().message}});
    }
  });
  if (!sub) throw std::runtime_error("cannot subscribe to logs.>: " + sub.error().message);
  subscription_ = std::move(*sub);
  co_return;
}

boost::asio::awaitable<void> Ingest::run() {
  while (!stopping_) co_await stopped_.wait();
  subscription_.unsubscribe();
}

void Ingest::stop() {
  stopping_ = true;
  stopped_.notify();
}

}  // namespace cupola::logstore
