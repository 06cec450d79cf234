#include "common/log/log.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "common/core/time.h"
#include "common/json/json.h"

namespace cupola::log {

std::string_view level_name(Level l) {
  switch (l) {
    case Level::Debug:
      return "debug";
    case Level::Info:
      return "info";
    case Level::Error:
      return "error";
    case Level::Fatal:
      return "fatal";
  }
  return "info";
}

std::optional<Level> parse_level(std::string_view s) {
  if (s == "debug") return Level::Debug;
  if (s == "info") return Level::Info;
  if (s == "error") return Level::Error;
  if (s == "fatal") return Level::Fatal;
  return std::nullopt;
}

bool is_secret_key(std::string_view key) {
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word :
       {"password", "secret", "token", "credentials", "authorization", "private_key"}) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

void StderrSink::write(std::string_view line) {
  std::lock_guard lock(mu_);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void MemorySink::write(std::string_view line) {
  std::lock_guard lock(mu_);
  lines_.emplace_back(line);
}

std::vector<std::string> MemorySink::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

bool MemorySink::contains_message(std::string_view message) const {
  std::lock_guard lock(mu_);
  for (const auto& line : lines_) {
    auto doc = json::parse(line);
    if (!doc || !doc->IsObject()) continue;
    auto it = doc->FindMember("message");
    if (it != doc->MemberEnd() && it->value.IsString() && message == it->value.GetString()) {
      return true;
    }
  }
  return false;
}

Logger::Logger(std::shared_ptr<Sink> sink, const Clock& clock, std::string source, Level min_level)
    : sink_(std::move(sink)),
      clock_(&clock),
      source_(source),
      prefix_(std::move(source)),
      min_level_(min_level),
      next_session_(std::make_shared<std::uint64_t>(0)),
      session_mu_(std::make_shared<std::mutex>()) {}

Logger Logger::session(std::string_view task, Data data) const {
  Logger child = *this;
  child.prefix_ = prefix_ + "." + std::string(task);
  std::uint64_t n = 0;
  {
    std::lock_guard lock(*session_mu_);
    n = ++*next_session_;
  }
  child.session_id_ =
      session_id_.empty() ? std::to_string(n) : session_id_ + "." + std::to_string(n);
  for (auto& f : data) child.data_.push_back(std::move(f));
  return child;
}

Logger Logger::with_data(Data data) const {
  Logger child = *this;
  for (auto& f : data) child.data_.push_back(std::move(f));
  return child;
}

void Logger::debug(std::string_view event, const Data& data) const {
  log(Level::Debug, event, data);
}
void Logger::info(std::string_view event, const Data& data) const { log(Level::Info, event, data); }
void Logger::error(std::string_view event, std::string_view err, const Data& data) const {
  Data d = data;
  d.emplace_back("error", err);
  log(Level::Error, event, d);
}
void Logger::fatal(std::string_view event, std::string_view err, const Data& data) const {
  Data d = data;
  d.emplace_back("error", err);
  log(Level::Fatal, event, d);
}

void Logger::log(Level level, std::string_view event, const Data& data) const {
  if (!enabled(level)) return;
  json::Writer w;
  w.start_object();
  w.field("timestamp", format_rfc3339(clock_->now(), true));
  w.field("level", level_name(level));
  w.field("source", source_);
  w.field("message", prefix_ + "." + std::string(event));
  w.key("data").start_object();
  if (!session_id_.empty()) w.field("session", session_id_);
  auto write_field = [&](const Field& f) {
    w.key(f.key);
    if (is_secret_key(f.key) && !std::holds_alternative<std::nullptr_t>(f.value)) {
      w.value("[REDACTED]");
      return;
    }
    std::visit([&](const auto& v) { w.value(v); }, f.value);
  };
  for (const auto& f : data_) write_field(f);
  for (const auto& f : data) write_field(f);
  w.end_object();
  w.end_object();
  sink_->write(w.view());
}

}  // namespace cupola::log
