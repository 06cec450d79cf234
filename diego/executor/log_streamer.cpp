#include "diego/executor/log_streamer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "common/json/json.h"

namespace cupola::executor {
namespace {

// Where to cut `text` at most `at` bytes in so that no character is split: before the last
// character when it would not fit whole.
std::size_t utf8_cut(std::string_view text, std::size_t at) {
  std::size_t lead = at;
  for (int back = 0; back < 4 && lead > 0; ++back) {
    --lead;
    auto c = static_cast<unsigned char>(text[lead]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: keep looking for the lead
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 1;
    return (lead + len > at && lead > 0) ? lead : at;
  }
  return at;
}

// The file and its lock, shared by the streamers of every source.
class LogFile {
 public:
  LogFile(int fd, const Clock& clock, int index) : fd_(fd), clock_(clock), index_(index) {}
  ~LogFile() { ::close(fd_); }
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  std::mutex& mutex() { return mu_; }

  // Caller holds mutex().
  void write_line(const std::string& source, std::string_view stream, std::string_view message) {
    json::Writer w;
    w.start_object();
    w.field("timestamp", static_cast<long long>(unix_nanos(clock_.now())));
    w.field("source_type", source).field("instance_index", index_).field("stream", stream);
    w.field("message", sanitize_utf8(message));
    w.end_object();
    std::string line = w.str() + "\n";
    std::string_view rest = line;
    while (!rest.empty()) {
      auto n = ::write(fd_, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a full disk loses log lines, never the container
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
  const Clock& clock_;
  int index_;
  std::mutex mu_;
};

class FileLogStreamer final : public LogStreamer {
 public:
  FileLogStreamer(std::shared_ptr<LogFile> file, std::string source, std::size_t max_line)
      : file_(std::move(file)),
        source_(std::move(source)),
        out_(max_line),
        err_(max_line),
        max_line_(max_line) {}
  ~FileLogStreamer() override { flush(); }

  // LogStreamer
  void out(std::string_view chunk) override { write(out_, "OUT", chunk); }
  void err(std::string_view chunk) override { write(err_, "ERR", chunk); }
  void flush() override {
    std::lock_guard lock(file_->mutex());
    out_.flush(emitter("OUT"));
    err_.flush(emitter("ERR"));
  }
  const std::string& source_name() const override { return source_; }
  std::shared_ptr<LogStreamer> with_source(std::string_view source) override {
    return std::make_shared<FileLogStreamer>(file_, source.empty() ? source_ : std::string(source),
                                             max_line_);
  }

 private:
  LineSplitter::Emit emitter(std::string_view stream) {
    return [this, stream](std::string_view line) { file_->write_line(source_, stream, line); };
  }
  void write(LineSplitter& splitter, std::string_view stream, std::string_view chunk) {
    std::lock_guard lock(file_->mutex());
    splitter.write(chunk, emitter(stream));
  }

  std::shared_ptr<LogFile> file_;
  std::string source_;
  LineSplitter out_;
  LineSplitter err_;
  std::size_t max_line_;
};

}  // namespace

LineSplitter::LineSplitter(std::size_t max_line_bytes)
    : max_(std::max<std::size_t>(max_line_bytes, 4)) {}

void LineSplitter::write(std::string_view chunk, const Emit& emit) {
  while (!chunk.empty()) {
    auto end = chunk.find_first_of("\r\n");
    append(chunk.substr(0, end), emit);
    if (end == std::string_view::npos) return;
    flush(emit);
    chunk.remove_prefix(end + 1);
  }
}

void LineSplitter::flush(const Emit& emit) {
  // Empty lines ("\r\n" ends one line, not two) are not worth a log line.
  if (!partial_.empty()) emit(partial_);
  partial_.clear();
}

void LineSplitter::append(std::string_view text, const Emit& emit) {
  partial_ += text;
  while (partial_.size() >= max_) {
    auto cut = utf8_cut(partial_, max_);
    emit(std::string_view(partial_).substr(0, cut));
    partial_.erase(0, cut);
  }
}

std::string sanitize_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (valid && len > 1) {
      // Overlong forms, surrogates and code points past U+10FFFF are invalid too.
      std::uint32_t cp = c & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
      static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      valid = cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (valid) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string BufferLogStreamer::contents() const {
  std::lock_guard lock(mu_);
  return text_;
}

void BufferLogStreamer::append(std::string_view chunk) {
  std::lock_guard lock(mu_);
  if (text_.size() < max_) text_.append(chunk.substr(0, max_ - text_.size()));
}

Result<std::shared_ptr<LogStreamer>> open_log_file(const LogFileOptions& options,
                                                   const Clock& clock) {
  int fd = ::open(options.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    return make_error(make_error_code(Errc::Unavailable),
                      "cannot open log file " + options.path + ": " + std::strerror(errno));
  }
  auto file = std::make_shared<LogFile>(fd, clock, options.instance_index);
  return std::shared_ptr<LogStreamer>(std::make_shared<FileLogStreamer>(
      std::move(file), options.source_name, options.max_line_bytes));
}

}  // namespace cupola::executor
