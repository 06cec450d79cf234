#pragma once

#include <functional>
#include <memory>
#include <mutex>

namespace cupola::http {

// Stops a streaming request from outside. Copies share one state. cancel() may be called
// from any thread, before or during the stream; the stream then ends with Errc::Cancelled.
class CancelToken {
 public:
  CancelToken() : state_(std::make_shared<State>()) {}

  void cancel() {
    std::function<void()> hook;
    {
      std::lock_guard lock(state_->mu);
      if (state_->cancelled) return;
      state_->cancelled = true;
      hook = std::move(state_->hook);
    }
    if (hook) hook();
  }

  bool cancelled() const {
    std::lock_guard lock(state_->mu);
    return state_->cancelled;
  }

  // For the stream: `hook` runs once on cancel() (at once when already cancelled) and must
  // be thread-safe. Replaces any earlier hook; reset_hook() drops it.
  void set_hook(std::function<void()> hook) {
    {
      std::lock_guard lock(state_->mu);
      if (!state_->cancelled) {
        state_->hook = std::move(hook);
        return;
      }
    }
    hook();
  }
  void reset_hook() {
    std::lock_guard lock(state_->mu);
    state_->hook = nullptr;
  }

 private:
  struct State {
    std::mutex mu;
    bool cancelled = false;
    std::function<void()> hook;
  };
  std::shared_ptr<State> state_;
};

}  // namespace cupola::http
