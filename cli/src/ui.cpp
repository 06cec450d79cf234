#include "cli/src/ui.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "common/core/time.h"

namespace cupola::cli {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// East Asian wide and full-width blocks, and the emoji blocks terminals draw two columns
// wide: the ranges that matter for names and messages, not the whole Unicode table.
constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

// Combining marks, zero-width spaces and joiners, variation selectors.
constexpr Range kZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
};

template <std::size_t N>
bool in(const Range (&ranges)[N], char32_t c) {
  auto it = std::upper_bound(std::begin(ranges), std::end(ranges), c,
                             [](char32_t v, const Range& r) { return v < r.first; });
  return it != std::begin(ranges) && c <= std::prev(it)->last;
}

int code_point_width(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return 0;
  if (in(kZero, c)) return 0;
  return in(kWide, c) ? 2 : 1;
}

// Decodes the UTF-8 sequence at text[i] and advances past it. A byte that does not start
// a complete sequence returns false and is skipped alone.
bool next_code_point(std::string_view text, std::size_t& i, char32_t& out) {
  auto b = static_cast<unsigned char>(text[i]);
  if (b < 0x80) {
    out = b;
    ++i;
    return true;
  }
  std::size_t extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : 0;
  if (extra == 0 || text.size() - i <= extra) {
    ++i;
    return false;
  }
  char32_t c = b & (0x3F >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto cb = static_cast<unsigned char>(text[i + k]);
    if ((cb & 0xC0) != 0x80) {
      ++i;
      return false;
    }
    c = (c << 6) | (cb & 0x3F);
  }
  i += extra + 1;
  out = c;
  return true;
}

// Length of the ANSI escape sequence starting at text[i] (an ESC), as terminals consume it:
// CSI ("ESC [" parameters, final byte 0x40-0x7E) or a two-byte escape.
std::size_t escape_length(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return 1;
  if (text[i + 1] != '[') return 2;
  std::size_t j = i + 2;
  while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7E)) ++j;
  return std::min(j + 1, text.size()) - i;
}

void trim_trailing_spaces(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

// One decimal with ".0" dropped, as cf's size formats.
std::string one_decimal(double value, std::string_view unit) {
  std::string s = fmt::format("{:.1f}", value);
  if (s.ends_with(".0")) s.resize(s.size() - 2);
  return s + std::string(unit);
}

// The progress bar's counters, as the bar library cf push uses prints them.
std::string progress_size(std::uint64_t bytes) {
  constexpr double kKiB = 1024.0;
  auto v = static_cast<double>(bytes);
  if (v >= kKiB * kKiB * kKiB * kKiB)
    return fmt::format("{:.2f} TiB", v / (kKiB * kKiB * kKiB * kKiB));
  if (v >= kKiB * kKiB * kKiB) return fmt::format("{:.2f} GiB", v / (kKiB * kKiB * kKiB));
  if (v >= kKiB * kKiB) return fmt::format("{:.2f} MiB", v / (kKiB * kKiB));
  if (v >= kKiB) return fmt::format("{:.2f} KiB", v / kKiB);
  return fmt::format("{} B", bytes);
}

// The spellings cf accepts for CF_COLOR (Go's strconv.ParseBool).
bool go_bool(std::string_view s, bool& out) {
  for (std::string_view t : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (s == t) {
      out = true;
      return true;
    }
  }
  for (std::string_view f : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (s == f) {
      out = false;
      return true;
    }
  }
  return false;
}

std::string_view env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string_view(v) : std::string_view();
}

}  // namespace

std::string colorize(std::string_view text, std::string_view sgr, bool color) {
  if (!color || text.empty()) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr, text);
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '\x1b') {
      i += escape_length(text, i);
      continue;
    }
    char32_t c = 0;
    width += next_code_point(text, i, c) ? code_point_width(c) : 1;
  }
  return width;
}

std::string render_table(const Table& rows, bool color) {
  std::size_t columns = 0;
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<std::size_t> widths(columns, 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      std::string_view cell = c < rows[r].size() ? std::string_view(rows[r][c]) : "";
      line += r == 0 ? colorize(cell, kBold, color) : std::string(cell);
      if (c + 1 < columns) line.append(widths[c] - display_width(cell) + 3, ' ');
    }
    trim_trailing_spaces(line);
    out += line;
    out += '\n';
  }
  return out;
}

std::string render_key_values(const KeyValues& rows) {
  std::size_t key_width = 0;
  for (const auto& [key, value] : rows) key_width = std::max(key_width, display_width(key) + 1);
  std::string out;
  for (const auto& [key, value] : rows) {
    std::string line = key + ":";
    line.append(key_width - display_width(key) - 1 + 3, ' ');
    line += value;
    trim_trailing_spaces(line);
    out += line;
    out += '\n';
  }
  return out;
}

std::string format_megabytes(std::int64_t mb) {
  if (mb < 0) return "unlimited";
  if (mb == 0) return "0";
  auto v = static_cast<double>(mb);
  if (mb >= 1024 * 1024) return one_decimal(v / (1024.0 * 1024.0), "T");
  if (mb >= 1024) return one_decimal(v / 1024.0, "G");
  return one_decimal(v, "M");
}

std::string format_bytes(std::uint64_t bytes) {
  if (bytes == 0) return "0";
  static constexpr std::string_view kUnits[] = {"B", "K", "M", "G", "T", "P", "E"};
  int unit = 0;
  while (unit < 6 && bytes >= (std::uint64_t{1} << (10 * (unit + 1)))) ++unit;
  double v = static_cast<double>(bytes) / static_cast<double>(std::uint64_t{1} << (10 * unit));
  return one_decimal(v, kUnits[unit]);
}

std::string format_uptime_since(std::int64_t now_unix, std::int64_t uptime_seconds) {
  std::int64_t since = now_unix - std::max<std::int64_t>(uptime_seconds, 0);
  return format_rfc3339(TimePoint(std::chrono::seconds(since)));
}

std::string progress_bar(std::uint64_t done, std::uint64_t total, int width) {
  done = std::min(done, total);
  double fraction = total == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total);
  std::string counters = fmt::format(" {} / {} ", progress_size(done), progress_size(total));
  std::string percent = fmt::format(" {:6.2f}%", fraction * 100.0);
  int bar = width - static_cast<int>(counters.size() + percent.size()) - 2;
  std::string line = counters;
  if (bar > 0) {
    int filled = std::min(bar, static_cast<int>(std::ceil(fraction * bar)));
    line += '[';
    if (filled == bar) {
      line.append(filled, '=');
    } else if (filled > 0) {
      line.append(filled - 1, '=');
      line += '>';
    }
    line.append(bar - filled, '-');
    line += ']';
  }
  line += percent;
  if (static_cast<int>(line.size()) < width) line.append(width - line.size(), ' ');
  return line;
}

bool decide_color(std::string_view cf_color, std::string_view no_color, std::string_view term,
                  bool is_tty) {
  bool forced = false;
  if (go_bool(cf_color, forced)) return forced;
  if (!no_color.empty() || term == "dumb") return false;
  return is_tty;
}

Ui::Ui(std::FILE* out, std::FILE* err, bool color)
    : out_(out), err_(err), color_(color), out_tty_(::isatty(::fileno(out)) == 1) {}

Ui::Ui(std::FILE* out, std::FILE* err, bool color, int terminal_width)
    : out_(out), err_(err), color_(color), out_tty_(true), fixed_width_(terminal_width) {}

bool Ui::color_wanted(int fd) {
  return decide_color(env("CF_COLOR"), env("NO_COLOR"), env("TERM"), ::isatty(fd) == 1);
}

void Ui::say(std::string_view text) {
  std::string line(text);
  line += '\n';
  write_out(line);
}

void Ui::ok() { write_out(colorize("OK", kGreenBold, color_) + "\n\n"); }

void Ui::failed(std::string_view reason) {
  std::string line(reason);
  line += '\n';
  write_err(line);
  write_out(colorize("FAILED", kRedBold, color_) + "\n");
}

void Ui::tip(std::string_view text) { say(std::string("TIP: ") + std::string(text)); }

void Ui::warn(std::string_view text) {
  std::string line(text);
  line += '\n';
  write_err(line);
}

void Ui::table(const Table& rows) { write_out(render_table(rows, color_)); }

void Ui::key_values(const KeyValues& rows) { write_out(render_key_values(rows)); }

void Ui::progress(std::uint64_t done, std::uint64_t total) {
  if (!out_tty_) return;
  std::string line = "\r" + progress_bar(done, total, width());
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
  progress_open_ = true;
}

void Ui::flush() {
  std::fflush(out_);
  std::fflush(err_);
}

void Ui::write_out(std::string_view text) {
  end_progress();
  std::fwrite(text.data(), 1, text.size(), out_);
}

// stdout is buffered and stderr is not: flushing first keeps the two in the order written.
void Ui::write_err(std::string_view text) {
  end_progress();
  std::fflush(out_);
  std::fwrite(text.data(), 1, text.size(), err_);
  std::fflush(err_);
}

void Ui::end_progress() {
  if (!progress_open_) return;
  progress_open_ = false;
  std::fputc('\n', out_);
}

int Ui::width() const {
  if (fixed_width_ > 0) return fixed_width_;
  winsize ws{};
  if (::ioctl(::fileno(out_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace cupola::cli
