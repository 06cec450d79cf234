#pragma once

#include <memory>

#include "common/service/main.h"
#include "service_broker/src/config.h"

namespace cupola::pg_broker {

struct BrokerProcess;

// Builds every part of a cupola-pg-broker process and adds its services to ctx.group, in
// start order: its own database (waits for Postgres, migrates), NATS, the background
// operations (resumes those left in progress), the OSB HTTP API, the announcement. The
// returned object owns them all. Throws on a config it cannot use (an unreadable
// password_file).
std::shared_ptr<BrokerProcess> build_broker(const BrokerConfig& config, ServiceContext& ctx);

}  // namespace cupola::pg_broker
