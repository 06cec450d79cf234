#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/io_context.hpp>

#include "common/config/config.h"
#include "common/core/clock.h"
#include "common/log/log.h"
#include "common/service/service.h"

namespace cupola {

// The composition root every server binary shares:
//   int main(int argc, char** argv) {
//     return run_main<BbsConfig>(argc, argv, "bbs", [](const BbsConfig& c, ServiceContext& s) {
//       s.group.add(std::make_shared<...>(s.io.get_executor(), c, s.log));
//     });
//   }
// Parses --config/--set, prints --help, reports every config problem (exit 2), builds the
// services, then runs them until SIGTERM/SIGINT (exit 0) or a failure (exit 1). `build` may
// return an owner of the objects its services use (a shared_ptr, say); it is kept until
// they have stopped. A config
// with a `log_level` member ("debug", "info", "error", "fatal") sets the logger's level.
struct ServiceContext {
  boost::asio::io_context& io;
  ServiceGroup& group;
  const log::Logger& log;
  const Clock& clock;
};

template <config::ConfigStruct C, class Build>
int run_main(int argc, const char* const* argv, std::string_view source, Build build) {
  auto cl = config::parse_command_line(argc, argv);
  std::string program = "cupola-" + std::string(source);
  if (!cl) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), cl.error().message.c_str());
    return 2;
  }
  if (cl->help) {
    std::fputs(config::usage(program).c_str(), stdout);
    return 0;
  }
  auto cfg = config::load<C>(*cl);
  if (!cfg) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), cfg.error().message.c_str());
    return 2;
  }
  log::Level level = log::Level::Info;
  if constexpr (requires { cfg->log_level; }) {
    if (auto l = log::parse_level(cfg->log_level)) level = *l;
  }
  SystemClock clock;
  log::Logger logger(std::make_shared<log::StderrSink>(), clock, std::string(source), level);
  boost::asio::io_context io(1);
  ServiceGroup group(io, logger);
  // What `build` returns (if anything) lives until the services have stopped: the objects
  // the services use.
  using Keep = std::invoke_result_t<Build&, const C&, ServiceContext&>;
  std::conditional_t<std::is_void_v<Keep>, int, Keep> keep{};
  try {
    ServiceContext ctx{io, group, logger, clock};
    if constexpr (std::is_void_v<Keep>) {
      build(*cfg, ctx);
    } else {
      keep = build(*cfg, ctx);
    }
  } catch (const std::exception& e) {
    logger.fatal("startup-failed", e.what());
    return 1;
  }
  int code = group.run();
  (void)keep;
  return code;
}

}  // namespace cupola
