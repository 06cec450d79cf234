// cupola-cc: the composition root. The Cloud Controller's v3 API and its token service on
// one port, until SIGTERM.

#include "common/service/main.h"
#include "cloud_controller/src/cc_process.h"

int main(int argc, char** argv) {
  return cupola::run_main<cupola::cc::CcConfig>(argc, argv, "cc", cupola::cc::build_cc);
}
