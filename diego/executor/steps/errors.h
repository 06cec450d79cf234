#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "common/core/result.h"

namespace cupola::executor {

// What a step's failure was, beyond the platform's own codes (Errc::Cancelled when a step
// was cancelled, Errc::Timeout when a timeout action's time ran out).
enum class StepErrc {
  // The work itself failed: a process exited non-zero, a download or upload failed, a
  // health check failed, a codependent sibling exited.
  Failed = 1,
};

const std::error_category& step_category() noexcept;
inline std::error_code make_error_code(StepErrc e) noexcept {
  return {static_cast<int>(e), step_category()};
}
// A failure of the work with the message users see.
Error step_failed(std::string message);

// The failure of a step stopped by cancel(): Errc::Cancelled.
Error cancelled_error(std::string message = "cancelled");
bool is_cancelled(const Error& error);

// The result of several steps' failures (parallel, codependent), as Diego reports them: the
// messages of the failures that are not cancellations, joined with "; ", with the first such
// failure's code. When every failure is a cancellation the result is one; with no failures,
// ok.
Status aggregate_errors(const std::vector<Error>& errors);

// Bytes as Cloud Foundry's logs show sizes: "0B", "512B", "1.5K", "12M", "2G" (one decimal,
// none when it is zero; binary units).
std::string format_byte_size(std::uint64_t bytes);

// Cuts a message to at most `max_bytes`, ending it with " (error truncated)" when cut.
std::string truncate_message(std::string message, std::size_t max_bytes = 1024);

}  // namespace cupola::executor

template <>
struct std::is_error_code_enum<cupola::executor::StepErrc> : std::true_type {};
