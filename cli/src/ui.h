#pragma once

// The cupola CLI's terminal output, in the formats of the Cloud Foundry cf CLI v7 so that a
// cf user reads it at a glance: tables with bold headers and columns three spaces apart,
// key-value tables ("name:   myapp"), "OK" and "FAILED", sizes as "256M" and "12.3M", and
// the upload progress bar of cf push. The render and format functions are pure; `Ui` writes
// their results to the terminal.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cupola::cli {

// SGR parameters of the styles cf uses.
inline constexpr std::string_view kBold = "1";          // table headers
inline constexpr std::string_view kGreenBold = "32;1";  // OK
inline constexpr std::string_view kRedBold = "31;1";    // FAILED, crashed instances
inline constexpr std::string_view kCyanBold = "36;1";   // entity names in progress lines
inline constexpr std::string_view kRed = "31";          // ERR log lines

// `text` between "\x1b[<sgr>m" and "\x1b[0m" when `color`; unchanged otherwise, and
// unchanged when empty (as cf: an empty cell stays empty).
std::string colorize(std::string_view text, std::string_view sgr, bool color);

// Terminal columns `text` takes: one per UTF-8 code point, two for East Asian wide and
// full-width ones, none for combining marks and control characters; ANSI escape sequences
// take none; a byte that is not valid UTF-8 takes one.
std::size_t display_width(std::string_view text);

// Rows of cells; for render_table the first row is the header.
using Table = std::vector<std::vector<std::string>>;
// Keys without their colon, and values.
using KeyValues = std::vector<std::pair<std::string, std::string>>;

// cf's table with a header (`cf apps`, `cf routes`): each column padded to its widest cell,
// columns three spaces apart, the last column not padded, trailing spaces trimmed, one
// '\n' per row. Header cells are bold when `color`. Rows shorter than the widest row read as
// if padded with empty cells. Empty when `rows` is.
std::string render_table(const Table& rows, bool color);

// cf's key-value table (`cf app`, `cf target`): each key followed by ':', values aligned
// three spaces after the longest key, one '\n' per row. cf prints the keys plain, so there
// is no style to choose:
//   name:              myapp
//   requested state:   started
std::string render_key_values(const KeyValues& rows);

// A size in megabytes as cf prints quotas and memory limits: "0", "256M", "1G", "1.5G",
// "2T" (one decimal, ".0" dropped; binary units). A negative size, the Cloud Controller's
// way of saying "no limit", is "unlimited".
std::string format_megabytes(std::int64_t mb);

// A size in bytes as cf prints instance usage ("memory: 12.3M of 256M"): "0", "512B",
// "1K", "12.3M", "1G" (one decimal, ".0" dropped; binary units up to E).
std::string format_bytes(std::uint64_t bytes);

// The "since" column of cf's instances table: the moment `uptime_seconds` before
// `now_unix`, in UTC, as RFC 3339 without fractions ("2026-05-04T13:02:11Z"). cf prints it
// in UTC whatever the local zone, so no offset is taken. A negative uptime counts as zero.
std::string format_uptime_since(std::int64_t now_unix, std::int64_t uptime_seconds);

// One line of the upload progress bar cf push draws, exactly `width` columns when the bar
// fits (narrower terminals get the counters and the percentage only):
//   " 1.50 MiB / 3.00 MiB [=========>----------]  50.00%"
// `done` above `total` counts as `total`; a `total` of 0 is complete. No '\r' and no '\n':
// the caller repaints.
std::string progress_bar(std::uint64_t done, std::uint64_t total, int width);

// cf's rules for color, given the environment. CF_COLOR decides when it reads as a Go
// boolean ("true", "false", "1", "0", "t", "f", also "TRUE", "True", "T" and so on);
// otherwise a non-empty NO_COLOR or TERM=dumb turns color off, and a terminal turns it on.
bool decide_color(std::string_view cf_color, std::string_view no_color, std::string_view term,
                  bool is_tty);

// Writes the CLI's output. stdout gets results, "OK", "FAILED" and tips; stderr gets
// warnings and error messages, as cf splits them. Not thread-safe: one command's thread
// owns it.
class Ui {
 public:
  // `out` and `err` are not owned and must outlive the Ui. `out` is a terminal when
  // isatty says so; its width comes from the terminal (80 when it cannot be read).
  Ui(std::FILE* out, std::FILE* err, bool color);
  // As above, but `out` counts as a terminal `terminal_width` columns wide.
  Ui(std::FILE* out, std::FILE* err, bool color, int terminal_width);

  // decide_color with this process's environment and whether `fd` is a terminal.
  static bool color_wanted(int fd);

  bool color() const { return color_; }

  // `text` and a newline, to stdout.
  void say(std::string_view text);
  // "OK" (green, bold) and a blank line, to stdout.
  void ok();
  // `reason` to stderr, then "FAILED" (red, bold) to stdout: cf's order.
  void failed(std::string_view reason);
  // "TIP: <text>", to stdout.
  void tip(std::string_view text);
  // `text` and a newline, to stderr (cf's warnings).
  void warn(std::string_view text);
  // render_table / render_key_values, to stdout.
  void table(const Table& rows);
  void key_values(const KeyValues& rows);
  // Repaints the progress bar on a terminal; nothing otherwise. The next output of any
  // other kind starts on a new line below the bar.
  void progress(std::uint64_t done, std::uint64_t total);
  void flush();

  // Styles for parts of a message, as cf: bold for emphasis, cyan bold for entity names
  // ("Getting apps in org acme / space dev as admin..."), red bold for failed states.
  std::string bold(std::string_view text) const { return colorize(text, kBold, color_); }
  std::string cyan(std::string_view text) const { return colorize(text, kCyanBold, color_); }
  std::string red(std::string_view text) const { return colorize(text, kRedBold, color_); }

 private:
  void write_out(std::string_view text);
  void write_err(std::string_view text);
  void end_progress();
  int width() const;

  std::FILE* out_;
  std::FILE* err_;
  bool color_;
  bool out_tty_;
  int fixed_width_ = 0;  // 0: ask the terminal
  bool progress_open_ = false;
};

}  // namespace cupola::cli
