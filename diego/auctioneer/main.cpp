// cupola-auctioneer: the composition root. Reads the config, builds the NATS and BBS clients,
// the batcher and the HTTP API, and runs them until SIGTERM.

#include "common/service/main.h"
#include "diego/auctioneer/src/auctioneer_process.h"
#include "diego/auctioneer/src/config.h"

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<auctioneer::AuctioneerConfig>(
      argc, argv, "auctioneer",
      [](const auctioneer::AuctioneerConfig& config, ServiceContext& ctx) {
        return auctioneer::build_auctioneer(config, ctx);
      });
}
