#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/core/result.h"

namespace cupola::executor {

// One node of the executor's work: what an action (bbs/api/models/action.h) becomes on a
// cell. Steps compose (serial, parallel, timeout, ...) into the tree that sets up, runs
// and monitors a container (Diego's executor steps).
//
// Threading: every step of a tree runs on one single-threaded executor (an io_context run
// by one thread, or a strand); perform() and cancel() are called there. Blocking work
// (container calls) goes to a thread pool, and results come back to that executor.
//
// Lifetime: a step must outlive its perform(). perform() is called at most once.
//
// Errors: an error's message is the failure reason as Cloud Foundry shows it ("APP/PROC/WEB:
// Exited with status 1", "Downloading droplet failed", "exceeded 5s timeout"). A step
// stopped by cancel() fails with Errc::Cancelled, whose message parents leave out of
// their own (see aggregate_errors in steps/errors.h).
class Step {
 public:
  virtual ~Step() = default;

  // Does the work; ok when it succeeded.
  virtual boost::asio::awaitable<Status> perform() = 0;

  // Asks perform() to stop soon (before it started, while it runs, or after it ended: then
  // nothing happens); perform() then fails with Errc::Cancelled. Never blocks.
  virtual void cancel() = 0;
};

}  // namespace cupola::executor
