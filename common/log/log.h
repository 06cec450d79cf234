#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "common/core/clock.h"

namespace cupola::log {

enum class Level { Debug = 0, Info = 1, Error = 2, Fatal = 3 };

std::string_view level_name(Level l);
// "debug", "info", "error", "fatal"; anything else is nullopt.
std::optional<Level> parse_level(std::string_view s);

using Value = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

struct Field {
  Field(std::string k, std::string_view v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, const char* v) : key(std::move(k)), value(std::string(v)) {}
  Field(std::string k, std::string v) : key(std::move(k)), value(std::move(v)) {}
  Field(std::string k, bool v) : key(std::move(k)), value(v) {}
  Field(std::string k, double v) : key(std::move(k)), value(v) {}
  template <class I>
  requires std::is_integral_v<I> Field(std::string k, I v)
      : key(std::move(k)), value(static_cast<std::int64_t>(v)) {}
  Field(std::string k, std::nullptr_t) : key(std::move(k)), value(nullptr) {}

  std::string key;
  Value value;
};
using Data = std::vector<Field>;

// Where finished lines go. write() receives one complete JSON object without the newline;
// implementations must be thread-safe.
class Sink {
 public:
  virtual ~Sink() = default;
  virtual void write(std::string_view line) = 0;
};

// Lines to stderr (the platform's log contract), written whole under a lock.
class StderrSink final : public Sink {
 public:
  void write(std::string_view line) override;

 private:
  std::mutex mu_;
};

// Keeps lines in memory; for tests.
class MemorySink final : public Sink {
 public:
  void write(std::string_view line) override;
  std::vector<std::string> lines() const;
  // True when some line's "message" equals `message`.
  bool contains_message(std::string_view message) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// A JSON-lines logger with sessions, after Diego's lager:
//   {"timestamp":"…","level":"info","source":"bbs","message":"bbs.desire-task.complete",
//    "data":{"session":"1.2","task_guid":"…"}}
// Loggers are cheap values; a session copies its parent's data and appends its task to the
// message prefix. Values of keys that name secrets (password, secret, token, credentials,
// authorization, private_key) are written as "[REDACTED]". Thread-safe.
class Logger {
 public:
  Logger(std::shared_ptr<Sink> sink, const Clock& clock, std::string source,
         Level min_level = Level::Info);

  Logger session(std::string_view task, Data data = {}) const;
  // A logger with extra data on every line and the same message prefix.
  Logger with_data(Data data) const;

  void debug(std::string_view event, const Data& data = {}) const;
  void info(std::string_view event, const Data& data = {}) const;
  void error(std::string_view event, std::string_view err, const Data& data = {}) const;
  void fatal(std::string_view event, std::string_view err, const Data& data = {}) const;
  void log(Level level, std::string_view event, const Data& data) const;

  const std::string& source() const { return source_; }
  const std::string& prefix() const { return prefix_; }
  bool enabled(Level level) const { return level >= min_level_; }

 private:
  std::shared_ptr<Sink> sink_;
  const Clock* clock_;
  std::string source_;
  std::string prefix_;
  Level min_level_;
  Data data_;
  std::shared_ptr<std::uint64_t> next_session_;  // shared by a root and its sessions
  std::shared_ptr<std::mutex> session_mu_;
  std::string session_id_;
};

// True for keys whose values are never logged.
bool is_secret_key(std::string_view key);

}  // namespace cupola::log
