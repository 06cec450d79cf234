// cupola-builder: stages an app inside its staging container, as Cloud Foundry's builder
// does. Takes Cloud Foundry's flags (-buildDir, -outputDroplet, -outputMetadata,
// -buildArtifactsCacheDir, -buildpacksDir, -buildpackOrder, -skipDetect) and exits 0, 222 when
// no buildpack detects the app, 223 when compiling (finalize or compile) fails, 224 when
// release fails, 225 when a supply step fails, 1 on bad usage. Linked statically: the
// container's root filesystem is not the host's.

#include <cstdio>
#include <string>
#include <vector>

#include "diego/lifecycle/builder/builder.h"

int main(int argc, char** argv) {
  using namespace cupola::lifecycle;
  std::vector<std::string> args(argv + 1, argv + argc);
  BuilderOptions options;
  if (auto problem = parse_builder_options(args, options); !problem.empty()) {
    std::fprintf(stderr, "cupola-builder: %s\n", problem.c_str());
    return kBuilderFailed;
  }
  return run_builder(options);
}
