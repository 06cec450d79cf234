#pragma once

#include <memory>

#include "common/service/main.h"
#include "diego/auctioneer/src/config.h"

namespace cupola::auctioneer {

struct AuctioneerProcess;

// Builds every part of an auctioneer process and adds its services to ctx.group, in start
// order: NATS, the batcher, the HTTP API, the BBS lock keeper, the announcer. The returned object
// owns them all.
std::shared_ptr<AuctioneerProcess> build_auctioneer(const AuctioneerConfig& config,
                                                    ServiceContext& ctx);

}  // namespace cupola::auctioneer
