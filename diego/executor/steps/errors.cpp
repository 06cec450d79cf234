#include "diego/executor/steps/errors.h"

#include <array>

#include <fmt/format.h>

namespace cupola::executor {
namespace {

class StepCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "executor-step"; }
  std::string message(int code) const override {
    return static_cast<StepErrc>(code) == StepErrc::Failed ? "step failed" : "unknown";
  }
};

}  // namespace

const std::error_category& step_category() noexcept {
  static const StepCategory category;
  return category;
}

Error step_failed(std::string message) {
  return make_error(make_error_code(StepErrc::Failed), std::move(message));
}

Error cancelled_error(std::string message) {
  return make_error(cupola::make_error_code(Errc::Cancelled), std::move(message));
}

bool is_cancelled(const Error& error) {
  return error.code == cupola::make_error_code(Errc::Cancelled);
}

Status aggregate_errors(const std::vector<Error>& errors) {
  if (errors.empty()) return {};
  std::string message;
  std::error_code code;
  for (const auto& e : errors) {
    if (is_cancelled(e)) continue;
    if (!code) code = e.code;
    if (e.message.empty()) continue;
    message += (message.empty() ? "" : "; ") + e.message;
  }
  if (!code) return errors.front();
  return make_error(code, std::move(message));
}

std::string format_byte_size(std::uint64_t bytes) {
  static constexpr std::array<const char*, 6> kUnits = {"E", "P", "T", "G", "M", "K"};
  if (bytes == 0) return "0B";
  for (std::size_t i = 0; i < kUnits.size(); ++i) {
    auto unit = std::uint64_t{1} << (10 * (kUnits.size() - i));
    if (bytes >= unit) {
      auto text = fmt::format("{:.1f}", static_cast<double>(bytes) / static_cast<double>(unit));
      if (text.ends_with(".0")) text.resize(text.size() - 2);
      return text + kUnits[i];
    }
  }
  return fmt::format("{}B", bytes);
}

std::string truncate_message(std::string message, std::size_t max_bytes) {
  static constexpr std::string_view kSuffix = " (error truncated)";
  if (message.size() <= max_bytes) return message;
  message.resize(max_bytes - kSuffix.size());
  return message + std::string(kSuffix);
}

}  // namespace cupola::executor
