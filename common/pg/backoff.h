#pragma once

#include <chrono>

namespace cupola::pg {

struct BackoffOptions {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{2000};
  double multiplier = 2.0;
};

// Delays between reconnection attempts: initial, initial*multiplier, ... capped at max.
// Pure; the caller sleeps.
class Backoff {
 public:
  explicit Backoff(BackoffOptions options = {}) : options_(options), next_(options.initial) {}

  std::chrono::milliseconds next();
  void reset() { next_ = options_.initial; }

 private:
  BackoffOptions options_;
  std::chrono::milliseconds next_;
};

}  // namespace cupola::pg
