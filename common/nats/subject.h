#pragma once

#include <string_view>

#include "common/core/result.h"

namespace cupola::nats {

// Subject rules, as the NATS server applies them: dot-separated tokens, none empty, no
// whitespace or control characters. Errors are Errc::InvalidArgument with a message that
// quotes the subject and says what is wrong.

// A subject to publish to: no wildcards.
Status validate_publish_subject(std::string_view subject);

// A subject to subscribe to: `*` may stand for one whole token, `>` for the last one.
Status validate_subscribe_subject(std::string_view subject);

// A queue group name: non-empty, no whitespace or control characters.
Status validate_queue_group(std::string_view queue);

}  // namespace cupola::nats
