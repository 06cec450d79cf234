#pragma once

#include <string_view>

#include "common/http/message.h"
#include "common/http/router.h"
#include "diego/auctioneer/src/batcher.h"
#include "diego/auctioneer/src/lock_keeper.h"

namespace cupola::auctioneer {

// The auctioneer's API for the BBS:
//   POST /v1/lrps  {"lrps": [LrpWork...]}   → 202 {} (the instances join the next batch)
//   POST /v1/tasks {"tasks": [TaskWork...]} → 202 {}
// A body that is not that shape gets 400 {"error": {"type": "InvalidRequest", "message"}}
// listing every problem. With a `keeper` that does not hold the lock, both answer
// 503 {"error": {"type": "ServiceUnavailable", "message"}} naming the active auctioneer when
// known. `batcher` and `keeper` must outlive the router's server.
void add_auction_routes(http::Router& router, Batcher& batcher, const LockKeeper* keeper = nullptr);

// {"error": {"type": <type>, "message": <message>}} with `status`.
http::Response error_body(http::StatusCode status, std::string_view type, std::string_view message);

}  // namespace cupola::auctioneer
