#pragma once

// The log store's HTTP API, log-cache's shape (cloudfoundry/log-cache):
//   GET /api/v1/info                  {"version": "...", "vm_uptime": "..."}; no token needed
//   GET /api/v1/read/<source_id>      start_time, end_time, envelope_types, limit, descending
//                                     → {"envelopes": {"batch": [...]}}
//   GET /api/v1/meta                  → {"meta": {"<source_id>": {count, expired,
//                                        oldest_timestamp, newest_timestamp}}}
//   GET /api/v1/tail/<source_id>      from start_time on, then live, each batch as
//                                     {"batch": [...]}: server-sent events, or WebSocket text
//                                     messages after an upgrade (subprotocol "cupola.logs");
//                                     envelope_types filters
// Every route but info wants "Authorization: bearer <token>" (a browser's WebSocket offers
// the subprotocol "bearer.<token>" instead): 401 without a valid one, 404 for
// a source the caller may not read (as for one that does not exist). Errors are
// {"error": "<what went wrong and what to do>"}.

#include <chrono>
#include <memory>

#include "common/core/clock.h"
#include "common/http/router.h"
#include "common/http/server.h"
#include "loggregator/server/access.h"
#include "loggregator/store/envelope_store.h"

namespace cupola::logstore {

struct ApiOptions {
  std::size_t tail_queue = 10'000;    // how far a tail may fall behind before it loses envelopes
  std::size_t tail_backlog = 10'000;  // at most this many stored envelopes start a tail
  std::chrono::milliseconds tail_heartbeat{15'000};  // a comment line keeps proxies open
};

// Counters the handlers keep for /varz.
struct ApiCounters {
  std::atomic<std::int64_t> reads{0};
  std::atomic<std::int64_t> tails{0};         // tails open now
  std::atomic<std::int64_t> unauthorized{0};  // requests refused for their token
};

// The routes above over `store`, asking `access`. Everything must outlive the server.
http::Router make_api_router(EnvelopeStore& store, AccessPolicy& access, const Clock& clock,
                             ApiOptions options, ApiCounters& counters);

// Renders the errors the HTTP server answers itself in the API's {"error": ...} form.
http::Response api_error(http::StatusCode status, std::string_view message);

}  // namespace cupola::logstore
