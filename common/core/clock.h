#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace cupola {

// The source of "now" for everything that decides on time. Pass a Clock& through
// constructors (no globals) so tests can use a FakeClock and never sleep.
class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  using duration = std::chrono::system_clock::duration;

  virtual ~Clock() = default;
  // Wall-clock time; thread-safe.
  virtual time_point now() const = 0;
};

// Nanoseconds since the Unix epoch: how records store time.
inline std::int64_t unix_nanos(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(time_point start = time_point{std::chrono::seconds{1'700'000'000}})
      : now_(start) {}

  time_point now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  void set(time_point t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  time_point now_;
};

}  // namespace cupola
