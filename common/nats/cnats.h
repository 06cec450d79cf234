#pragma once

// Internal to common/nats: the few places that talk to cnats directly.

#include <memory>
#include <string_view>

#include <nats/nats.h>

#include "common/core/result.h"
#include "common/nats/options.h"

namespace cupola::nats::detail {

class ConnectionEvents;

// Opens cnats's process-wide state once. It is never closed: cnats cannot be reopened after
// nats_Close, and its threads may still be finishing callbacks of destroyed connections.
// Thread-safe.
Status open_library();

// An Error for a failed cnats call: `what` names the operation ("publish to \"a.b\"").
Error to_error(natsStatus status, std::string_view what);

struct OptionsDeleter {
  void operator()(natsOptions* options) const { natsOptions_Destroy(options); }
};
using OptionsPtr = std::unique_ptr<natsOptions, OptionsDeleter>;

// cnats options for `options`, with `events` receiving the connection callbacks.
Result<OptionsPtr> make_options(const ClientOptions& options, ConnectionEvents& events);

ConnectionStatus to_status(natsConnStatus status);

}  // namespace cupola::nats::detail
