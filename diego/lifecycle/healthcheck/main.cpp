// cupola-healthcheck: checks, from inside an app's container, that the app listens on its
// port or answers HTTP. Exits 0 when healthy, 1 when not (the reason on stderr), 2 on bad
// usage. Linked statically: the container's root filesystem is not the host's.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "diego/lifecycle/healthcheck/options.h"
#include "diego/lifecycle/healthcheck/probe.h"
#include "diego/lifecycle/healthcheck/runner.h"

int main(int argc, char** argv) {
  using namespace cupola::lifecycle;
  std::string_view program = argc > 0 ? argv[0] : "cupola-healthcheck";
  if (auto slash = program.rfind('/'); slash != std::string_view::npos) {
    program.remove_prefix(slash + 1);
  }
  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);

  auto parsed = parse_healthcheck_args(args);
  if (!parsed) {
    std::string text = std::string(program) + ": " + parsed.error().message + "\n" +
                       healthcheck_synopsis(program) + "\n(--help lists the flags)\n";
    std::fputs(text.c_str(), stderr);
    return kExitUsage;
  }
  if (parsed->help) {
    std::fputs(healthcheck_usage(program).c_str(), stdout);
    return kExitHealthy;
  }

  const HealthcheckOptions& options = parsed->options;
  SteadyCheckClock clock;
  Verdict verdict = run_checks(
      options, [&](std::chrono::nanoseconds limit) { return check_once(options, limit); }, clock);
  if (!verdict.message.empty()) std::fputs((verdict.message + "\n").c_str(), stderr);
  return verdict.exit_code;
}
