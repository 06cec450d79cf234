#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/core/clock.h"
#include "common/core/result.h"

namespace cupola::executor {

// Where a container's output and the executor's messages about it go, tagged with a source
// name as Cloud Foundry shows it: "APP/PROC/WEB" for an app's process, "STG" for staging,
// "CELL" for the cell's own messages, "HEALTH" for health checks.
//
// Chunks are split into lines at '\n' and '\r'; a trailing partial line waits for its end
// or flush(). Thread-safe: a process's output arrives on a container backend's thread.
class LogStreamer {
 public:
  virtual ~LogStreamer() = default;

  // Standard output and standard error (named so because stdout and stderr are macros).
  virtual void out(std::string_view chunk) = 0;
  virtual void err(std::string_view chunk) = 0;
  // Emits partial lines now.
  virtual void flush() = 0;

  virtual const std::string& source_name() const = 0;
  // A streamer to the same destination under another source; an empty name keeps this one's.
  // Each streamer buffers its own partial lines.
  virtual std::shared_ptr<LogStreamer> with_source(std::string_view source_name) = 0;
};

// Splits chunks into lines of at most `max_line_bytes` (longer ones are cut into pieces, at
// a UTF-8 character boundary), without their terminators. Not thread-safe.
class LineSplitter {
 public:
  using Emit = std::function<void(std::string_view line)>;

  explicit LineSplitter(std::size_t max_line_bytes);
  void write(std::string_view chunk, const Emit& emit);
  // Emits the partial line, if any.
  void flush(const Emit& emit);

 private:
  void append(std::string_view text, const Emit& emit);

  std::size_t max_;
  std::string partial_;
};

struct LogFileOptions {
  std::string path;         // created when missing; lines are appended
  std::string source_name;  // the first streamer's source ("APP/PROC/WEB")
  int instance_index = 0;
  std::size_t max_line_bytes = 60 * 1024;
};

// A container's log file: one JSON object per line,
//   {"timestamp":<unix ns>,"source_type":"APP/PROC/WEB","instance_index":0,
//    "stream":"OUT","message":"listening on 8080"}
// Invalid UTF-8 is replaced by U+FFFD. Each line is appended with one write. `clock` must
// outlive every streamer. Errors: Unavailable when the file cannot be opened.
Result<std::shared_ptr<LogStreamer>> open_log_file(const LogFileOptions& options,
                                                   const Clock& clock);

// Keeps everything written to it, stdout and stderr together, up to `max_bytes` (the rest is
// dropped): a health check's output, which becomes its failure message. with_source()
// returns the same buffer.
class BufferLogStreamer final : public LogStreamer,
                                public std::enable_shared_from_this<BufferLogStreamer> {
 public:
  explicit BufferLogStreamer(std::string source_name = "", std::size_t max_bytes = 64 * 1024)
      : source_(std::move(source_name)), max_(max_bytes) {}

  // LogStreamer
  void out(std::string_view chunk) override { append(chunk); }
  void err(std::string_view chunk) override { append(chunk); }
  void flush() override {}
  const std::string& source_name() const override { return source_; }
  std::shared_ptr<LogStreamer> with_source(std::string_view) override { return shared_from_this(); }

  std::string contents() const;

 private:
  void append(std::string_view chunk);

  std::string source_;
  std::size_t max_;
  mutable std::mutex mu_;
  std::string text_;
};

// Replaces each invalid UTF-8 sequence with U+FFFD.
std::string sanitize_utf8(std::string_view text);

}  // namespace cupola::executor
