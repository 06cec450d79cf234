#pragma once

// Internal to the log store's API: a tail's two wire forms over one subscription.

#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/http/context.h"
#include "loggregator/server/handlers.h"
#include "loggregator/store/envelope_store.h"
#include "loggregator/store/read_query.h"

namespace cupola::logstore {

// The subprotocol a WebSocket tail answers with; a browser offers it together with
// "bearer.<token>", since it cannot send an Authorization header.
inline constexpr std::string_view kTailSubprotocol = "cupola.logs";

// The request's "bearer <token>": its Authorization header, or for a WebSocket upgrade
// without one, the "bearer.<token>" entry of its Sec-WebSocket-Protocol list. "" when none.
std::string authorization_of(const http::Request& request);

// Streams `source_id`'s envelopes matching `query`'s types from its start_time on, then live,
// each batch as {"batch":[...]} (int64s as strings): as server-sent events, or as WebSocket
// text messages when the request is an upgrade. The caller has checked who may read it.
boost::asio::awaitable<http::Response> serve_tail(http::RequestContext& ctx, EnvelopeStore& store,
                                                  std::string source_id, ReadQuery query,
                                                  ApiOptions options, ApiCounters& counters);

}  // namespace cupola::logstore
