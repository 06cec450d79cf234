// cupola-bbs: the composition root. Reads the config, builds the stores, controllers and
// services, and runs them until SIGTERM.

#include <memory>

#include "bbs/src/bbs_process.h"
#include "bbs/src/config.h"
#include "common/service/main.h"

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<bbs::BbsConfig>(argc, argv, "bbs",
                                  [](const bbs::BbsConfig& config, ServiceContext& ctx) {
                                    return bbs::build_bbs(config, ctx);
                                  });
}
