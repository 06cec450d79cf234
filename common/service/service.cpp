#include "common/service/service.h"

#include <csignal>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace cupola {
namespace asio = boost::asio;

// Completion of one service's run(), awaitable by the stopper.
struct RunState {
  explicit RunState(asio::io_context& io) : done(io, asio::steady_timer::time_point::max()) {}
  asio::steady_timer done;
  bool finished = false;
  bool running = false;
};

ServiceGroup::ServiceGroup(asio::io_context& io, log::Logger logger)
    : io_(io), log_(std::move(logger)) {}

void ServiceGroup::add(std::shared_ptr<Service> service) {
  services_.push_back(std::move(service));
}

int ServiceGroup::run() {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  // The first signal drains; a second one stops at once, for an operator who will not wait.
  std::function<void(boost::system::error_code, int)> on_signal =
      [this, &signals, &on_signal](boost::system::error_code ec, int signo) {
        if (ec) return;
        if (stopping_) {
          log_.info("second-signal", {{"signal", signo}});
          failed_ = true;
          io_.stop();
          return;
        }
        log_.info("signal-received", {{"signal", signo}});
        stop_services("signal");
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);
  std::vector<std::unique_ptr<RunState>> runs;
  for (std::size_t i = 0; i < services_.size(); ++i) {
    runs.push_back(std::make_unique<RunState>(io_));
  }
  runs_ = &runs;
  signals_ = &signals;
  asio::co_spawn(io_, supervise(), [this](std::exception_ptr e) {
    if (e) {
      failed_ = true;
      log_.error("supervise-failed", "unexpected exception");
    }
  });
  io_.run();
  runs_ = nullptr;
  signals_ = nullptr;
  log_.info("exited", {{"exit_code", failed_ ? 1 : 0}});
  return failed_ ? 1 : 0;
}

void ServiceGroup::stop() {
  asio::post(io_, [this] { stop_services("requested"); });
}

asio::awaitable<void> ServiceGroup::supervise() {
  auto& runs = *runs_;
  for (std::size_t i = 0; i < services_.size() && !stopping_; ++i) {
    starting_ = i;
    try {
      co_await services_[i]->start();
      started_ = i + 1;
    } catch (const std::exception& e) {
      if (stopping_) {
        // Asked to stop while it was starting: not a failure.
        log_.info("start-interrupted", {{"service", services_[i]->name()}});
      } else {
        starting_.reset();  // its start is over; there is nothing of it to stop
        failed_ = true;
        log_.error("start-failed", e.what(), {{"service", services_[i]->name()}});
        stop_services("start-failed");
      }
      co_return;
    }
  }
  starting_.reset();
  if (stopping_) co_return;
  log_.info("started");
  for (std::size_t i = 0; i < services_.size(); ++i) {
    runs[i]->running = true;
    asio::co_spawn(io_, services_[i]->run(), [this, i](std::exception_ptr e) {
      auto& run = *(*runs_)[i];
      if (e) {
        failed_ = true;
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          what = ex.what();
        } catch (...) {
        }
        log_.error("service-failed", what, {{"service", services_[i]->name()}});
      }
      run.finished = true;
      run.done.cancel();
      if (!stopping_) stop_services("service-exited");
    });
  }
}

void ServiceGroup::stop_services(std::string_view reason) {
  if (stopping_ || !runs_) return;
  stopping_ = true;
  log_.info("stopping", {{"reason", reason}});
  // A service still starting is told too, so that its start gives up (a connect that retries).
  if (starting_) services_[*starting_]->stop();
  // Stop in reverse order, each after the one started later than it has drained.
  asio::co_spawn(
      io_,
      [this]() -> asio::awaitable<void> {
        for (std::size_t i = started_; i-- > 0;) {
          services_[i]->stop();
          auto& run = *(*runs_)[i];
          if (run.running && !run.finished) {
            co_await run.done.async_wait(asio::as_tuple(asio::use_awaitable));
          }
        }
        if (signals_) signals_->cancel();
      },
      asio::detached);
}

}  // namespace cupola
