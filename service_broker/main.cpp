// cupola-pg-broker: the composition root. Reads the config and runs the Open Service Broker
// for PostgreSQL (its state database, background operations, HTTP API and NATS
// announcement) until SIGTERM.

#include "common/service/main.h"
#include "service_broker/src/broker_process.h"
#include "service_broker/src/config.h"

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<pg_broker::BrokerConfig>(
      argc, argv, "pg-broker", [](const pg_broker::BrokerConfig& config, ServiceContext& ctx) {
        return pg_broker::build_broker(config, ctx);
      });
}
