#pragma once

#include "bbs/src/controllers/outbound.h"
#include "common/log/log.h"
#include "common/nats/client.h"

namespace cupola::bbs {

// Tells reps what to stop over NATS (ARCHITECTURE §3): diego.rep.<cell_id>.stop_lrp with the
// instance's keys, diego.rep.<cell_id>.cancel_task with {"task_guid"}. Lost messages are
// repaired by convergence and by the rep's own reconciliation.
class NatsRepClient final : public RepClient {
 public:
  NatsRepClient(nats::Client& nats, log::Logger log) : nats_(nats), log_(std::move(log)) {}

  void stop_lrp_instance(const ActualLrp& lrp) override;
  void cancel_task(const std::string& cell_id, const std::string& task_guid) override;

 private:
  nats::Client& nats_;
  log::Logger log_;
};

}  // namespace cupola::bbs
