#pragma once

#include <memory>

#include "bbs/src/config.h"
#include "common/service/main.h"

namespace cupola::bbs {

struct BbsProcess;

// Builds every part of a BBS process and adds its services to ctx.group, in start order:
// the database (waits for Postgres, migrates), NATS, the HTTP API, the converger. The
// returned object owns them all.
std::shared_ptr<BbsProcess> build_bbs(const BbsConfig& config, ServiceContext& ctx);

}  // namespace cupola::bbs
