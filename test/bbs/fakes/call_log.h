#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/error.h"

namespace cupola::bbs::fakes {

// What the fakes share: the names of the calls made to them, in order, and an error to
// fail the next call with (STYLE rule 20). Single-threaded, like the stores they stand for.
class CallLog {
 public:
  // The next call to `method` ("" = any method) fails with `error` and changes nothing.
  void fail_next(Error error, std::string method = "") {
    injected_.push_back({std::move(method), std::move(error)});
  }

  // Every call so far by method name ("list", "mutate", ...), oldest first.
  const std::vector<std::string>& calls() const { return calls_; }
  std::size_t count(std::string_view method) const {
    return static_cast<std::size_t>(std::count(calls_.begin(), calls_.end(), method));
  }
  void clear_calls() { calls_.clear(); }

 protected:
  // Records a call to `method`; returns the error it must fail with, if one was injected.
  std::optional<Error> enter(std::string_view method) {
    calls_.emplace_back(method);
    for (auto it = injected_.begin(); it != injected_.end(); ++it) {
      if (it->method.empty() || it->method == method) {
        Error e = std::move(it->error);
        injected_.erase(it);
        return e;
      }
    }
    return std::nullopt;
  }

 private:
  struct Injected {
    std::string method;
    Error error;
  };
  std::vector<std::string> calls_;
  std::vector<Injected> injected_;
};

}  // namespace cupola::bbs::fakes
