#include "diego/rep/src/app_logs.h"

namespace cupola::rep {
namespace {

constexpr std::size_t kMaxLineBytes = 60 * 1024;  // below the codec's payload limit

// What the streamers of one instance share: its target and its rate limit.
struct Instance {
  Instance(loggregator::LogClient& client, const Clock& clock, AppLogTarget target)
      : client(client),
        clock(clock),
        target(std::move(target)),
        limiter(this->target.bytes_per_second, clock.now()) {}
  loggregator::LogClient& client;
  const Clock& clock;
  const AppLogTarget target;
  std::mutex mu;  // guards limiter
  loggregator::LogRateLimiter limiter;

  void send(std::string_view source_name, std::string_view line, loggregator::LogType type) {
    auto now = clock.now();
    auto e = loggregator::make_log(unix_nanos(now), target.source_id, target.instance_id,
                                   source_name, executor::sanitize_utf8(line), type);
    for (const auto& [k, v] : target.tags) e.tags.emplace(k, v);
    // The limit holds the app's own output; the cell's messages about it always go out.
    if (source_name.starts_with("APP/")) {
      loggregator::LogRateLimiter::Verdict verdict;
      {
        std::lock_guard lock(mu);
        verdict = limiter.admit(line.size(), now);
      }
      if (verdict == loggregator::LogRateLimiter::Verdict::Drop) return;
      if (verdict == loggregator::LogRateLimiter::Verdict::DropAndReport) {
        client.emit(loggregator::make_rate_limit_report(e, target.bytes_per_second, e.timestamp));
        return;
      }
    }
    client.emit(std::move(e));
  }
};

class AppLogStreamer final : public executor::LogStreamer {
 public:
  AppLogStreamer(std::shared_ptr<Instance> instance, std::string source_name)
      : instance_(std::move(instance)),
        source_(std::move(source_name)),
        out_(kMaxLineBytes),
        err_(kMaxLineBytes) {}

  // LogStreamer
  void out(std::string_view chunk) override { write(out_, chunk, loggregator::LogType::Out); }
  void err(std::string_view chunk) override { write(err_, chunk, loggregator::LogType::Err); }
  void flush() override {
    std::lock_guard lock(mu_);
    out_.flush([&](std::string_view l) { instance_->send(source_, l, loggregator::LogType::Out); });
    err_.flush([&](std::string_view l) { instance_->send(source_, l, loggregator::LogType::Err); });
  }
  const std::string& source_name() const override { return source_; }
  std::shared_ptr<LogStreamer> with_source(std::string_view source_name) override {
    return std::make_shared<AppLogStreamer>(
        instance_, source_name.empty() ? source_ : std::string(source_name));
  }

 private:
  void write(executor::LineSplitter& splitter, std::string_view chunk, loggregator::LogType t) {
    std::lock_guard lock(mu_);
    splitter.write(chunk, [&](std::string_view l) { instance_->send(source_, l, t); });
  }

  std::shared_ptr<Instance> instance_;
  std::string source_;
  std::mutex mu_;  // guards the splitters
  executor::LineSplitter out_;
  executor::LineSplitter err_;
};

class TeeStreamer final : public executor::LogStreamer {
 public:
  TeeStreamer(std::shared_ptr<LogStreamer> a, std::shared_ptr<LogStreamer> b)
      : a_(std::move(a)), b_(std::move(b)) {}
  void out(std::string_view chunk) override {
    a_->out(chunk);
    b_->out(chunk);
  }
  void err(std::string_view chunk) override {
    a_->err(chunk);
    b_->err(chunk);
  }
  void flush() override {
    a_->flush();
    b_->flush();
  }
  const std::string& source_name() const override { return a_->source_name(); }
  std::shared_ptr<LogStreamer> with_source(std::string_view source_name) override {
    return std::make_shared<TeeStreamer>(a_->with_source(source_name),
                                         b_->with_source(source_name));
  }

 private:
  std::shared_ptr<LogStreamer> a_, b_;
};

}  // namespace

std::shared_ptr<executor::LogStreamer> make_app_log_streamer(loggregator::LogClient& client,
                                                             const Clock& clock,
                                                             AppLogTarget target,
                                                             std::string source_name) {
  return std::make_shared<AppLogStreamer>(
      std::make_shared<Instance>(client, clock, std::move(target)), std::move(source_name));
}

std::shared_ptr<executor::LogStreamer> tee(std::shared_ptr<executor::LogStreamer> a,
                                           std::shared_ptr<executor::LogStreamer> b) {
  return std::make_shared<TeeStreamer>(std::move(a), std::move(b));
}

}  // namespace cupola::rep
