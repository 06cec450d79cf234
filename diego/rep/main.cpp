// cupola-rep: the composition root of a cell. Reads the config, opens the container
// backend, and runs the rep until SIGTERM, on which it evacuates.

#include "common/service/main.h"
#include "diego/rep/src/config.h"
#include "diego/rep/src/rep_process.h"

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<rep::RepConfig>(argc, argv, "rep",
                                  [](const rep::RepConfig& config, ServiceContext& ctx) {
                                    return rep::build_rep(config, ctx);
                                  });
}
