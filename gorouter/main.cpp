// cupola-router: the composition root. Reads the config, follows the routes on NATS and
// proxies HTTP to the apps' instances until SIGTERM.

#include "common/service/main.h"
#include "gorouter/proxy/config.h"
#include "gorouter/proxy/router_process.h"

int main(int argc, char** argv) {
  using namespace cupola;
  return run_main<router::RouterConfig>(
      argc, argv, "router", [](const router::RouterConfig& config, ServiceContext& ctx) {
        return router::build_router(config, ctx);
      });
}
