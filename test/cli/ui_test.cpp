#include "cli/src/ui.h"

#include <cstdlib>

#include <catch2/catch.hpp>

using namespace cupola::cli;

namespace {

// A FILE* whose contents a test can read back.
class Capture {
 public:
  Capture() : file_(::open_memstream(&data_, &size_)) {}
  ~Capture() {
    std::fclose(file_);
    std::free(data_);
  }
  std::FILE* file() { return file_; }
  std::string text() {
    std::fflush(file_);
    return std::string(data_, size_);
  }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

}  // namespace

TEST_CASE("display width") {
  CHECK(display_width("myapp") == 5);
  CHECK(display_width("müde") == 4);                // two-byte code point
  CHECK(display_width("名前") == 4);                // East Asian wide
  CHECK(display_width("e\xcc\x81") == 1);           // e and a combining acute accent
  CHECK(display_width("\x1b[1mname\x1b[0m") == 4);  // escapes take no columns
  CHECK(display_width("\x1b[36;1macme\x1b[0m!") == 5);
  CHECK(display_width("a\xff"
                      "b") == 3);         // a stray byte counts one
  CHECK(display_width("\xe5\x90") == 2);  // a cut-off sequence: each byte one
}

TEST_CASE("tables with a header") {
  Table apps = {{"name", "requested state", "processes", "routes"},
                {"myapp", "started", "web:1/1", "myapp.example.com"},
                {"worker", "stopped", "web:0/1", ""}};

  SECTION("when plain, columns line up three spaces after their widest cell") {
    CHECK(render_table(apps, false) ==
          "name     requested state   processes   routes\n"
          "myapp    started           web:1/1     myapp.example.com\n"
          "worker   stopped           web:0/1\n");
  }
  SECTION("when colored, only the header cells are bold and alignment is unchanged") {
    CHECK(render_table(apps, true) ==
          "\x1b[1mname\x1b[0m     \x1b[1mrequested state\x1b[0m   \x1b[1mprocesses\x1b[0m   "
          "\x1b[1mroutes\x1b[0m\n"
          "myapp    started           web:1/1     myapp.example.com\n"
          "worker   stopped           web:0/1\n");
  }
  SECTION("when cells hold wide characters or color, columns align on what the eye sees") {
    Table t = {{"name", "state"}, {"名前", "ok"}, {"\x1b[31;1mdown\x1b[0m", "x"}, {"ab", "y"}};
    CHECK(render_table(t, false) ==
          "name   state\n"
          "名前   ok\n"
          "\x1b[31;1mdown\x1b[0m   x\n"
          "ab     y\n");
  }
  SECTION("when the instances table has an empty header cell, no line ends in a space") {
    Table t = {{"", "state", "since"}, {"#0", "running", "2026-05-04T13:02:11Z"}};
    std::string out = render_table(t, true);
    CHECK(out ==
          "     \x1b[1mstate\x1b[0m     \x1b[1msince\x1b[0m\n"
          "#0   running   2026-05-04T13:02:11Z\n");
    CHECK(out.find(" \n") == std::string::npos);
  }
  SECTION("when rows are short they read as empty cells") {
    CHECK(render_table({{"a", "b", "c"}, {"1"}}, false) == "a   b   c\n1\n");
  }
  SECTION("when there are no rows there is no output") { CHECK(render_table({}, true).empty()); }
}

TEST_CASE("key-value tables") {
  KeyValues app = {{"name", "myapp"},
                   {"requested state", "started"},
                   {"routes", "myapp.example.com"},
                   {"buildpacks", ""}};
  CHECK(render_key_values(app) ==
        "name:              myapp\n"
        "requested state:   started\n"
        "routes:            myapp.example.com\n"
        "buildpacks:\n");
  CHECK(render_key_values({{"API endpoint", "https://api.example.com"}, {"org", "名前"}}) ==
        "API endpoint:   https://api.example.com\n"
        "org:            名前\n");
  CHECK(render_key_values({}).empty());
}

TEST_CASE("sizes") {
  SECTION("megabytes, as cf prints limits") {
    CHECK(format_megabytes(0) == "0");
    CHECK(format_megabytes(1) == "1M");
    CHECK(format_megabytes(256) == "256M");
    CHECK(format_megabytes(1023) == "1023M");
    CHECK(format_megabytes(1024) == "1G");
    CHECK(format_megabytes(1536) == "1.5G");
    CHECK(format_megabytes(10 * 1024) == "10G");
    CHECK(format_megabytes(1024 * 1024) == "1T");
    CHECK(format_megabytes(-1) == "unlimited");
  }
  SECTION("bytes, as cf prints usage") {
    CHECK(format_bytes(0) == "0");
    CHECK(format_bytes(1) == "1B");
    CHECK(format_bytes(512) == "512B");
    CHECK(format_bytes(1024) == "1K");
    CHECK(format_bytes(1536) == "1.5K");
    CHECK(format_bytes(12'897'485) == "12.3M");
    CHECK(format_bytes(256ull << 20) == "256M");
    CHECK(format_bytes(1ull << 30) == "1G");
    CHECK(format_bytes((1ull << 30) - 1) == "1024M");  // rounds as cf does
    CHECK(format_bytes(5ull << 40) == "5T");
    CHECK(format_bytes(~0ull) == "16E");
  }
}

TEST_CASE("the since column of the instances table") {
  // 2026-05-04T13:02:11Z is 1777899731.
  CHECK(format_uptime_since(1777899731, 0) == "2026-05-04T13:02:11Z");
  CHECK(format_uptime_since(1777899731 + 3661, 3661) == "2026-05-04T13:02:11Z");
  CHECK(format_uptime_since(1777899731, -5) == "2026-05-04T13:02:11Z");
}

TEST_CASE("the upload progress bar") {
  constexpr std::uint64_t kMiB = 1 << 20;
  SECTION("when nothing is sent yet the bar is empty") {
    CHECK(progress_bar(0, 3 * kMiB, 50) == " 0 B / 3.00 MiB [------------------------]   0.00%");
  }
  SECTION("when half is sent the bar is half full and ends in an arrow") {
    std::string bar = progress_bar(3 * kMiB / 2, 3 * kMiB, 60);
    CHECK(bar == " 1.50 MiB / 3.00 MiB [==============>--------------]  50.00%");
    CHECK(bar.size() == 60);
  }
  SECTION("when all is sent the bar is full") {
    CHECK(progress_bar(3 * kMiB, 3 * kMiB, 50) ==
          " 3.00 MiB / 3.00 MiB [===================] 100.00%");
  }
  SECTION("when the total is zero there is nothing to wait for") {
    // 30 columns: 11 of counters, 8 of percentage, 2 brackets, 9 of bar.
    CHECK(progress_bar(0, 0, 30) == " 0 B / 0 B [=========] 100.00%");
  }
  SECTION("when more than the total is reported it counts as the total") {
    CHECK(progress_bar(5000, 1000, 40) == progress_bar(1000, 1000, 40));
  }
  SECTION("when the terminal is too narrow the bar is left out") {
    CHECK(progress_bar(512, 1024, 10) == " 512 B / 1.00 KiB   50.00%");
  }
}

TEST_CASE("deciding on color") {
  CHECK(decide_color("", "", "xterm", true));
  CHECK_FALSE(decide_color("", "", "xterm", false));
  CHECK_FALSE(decide_color("", "1", "xterm", true));  // NO_COLOR
  CHECK_FALSE(decide_color("", "", "dumb", true));
  CHECK_FALSE(decide_color("false", "", "xterm", true));
  CHECK(decide_color("true", "", "xterm", false));  // CF_COLOR wins over a pipe
  CHECK(decide_color("1", "1", "dumb", false));     // ... and over NO_COLOR
  CHECK_FALSE(decide_color("F", "", "xterm", true));
  CHECK(decide_color("maybe", "", "xterm", true));  // not a boolean: the terminal decides
}

TEST_CASE("the Ui writes where cf writes") {
  Capture out, err;

  SECTION("when colored, OK is green bold with a blank line after it") {
    Ui ui(out.file(), err.file(), true);
    ui.say("Getting apps in org " + ui.cyan("acme") + " / space " + ui.cyan("dev") + " as " +
           ui.cyan("admin") + "...");
    ui.ok();
    CHECK(out.text() ==
          "Getting apps in org \x1b[36;1macme\x1b[0m / space \x1b[36;1mdev\x1b[0m as "
          "\x1b[36;1madmin\x1b[0m...\n\x1b[32;1mOK\x1b[0m\n\n");
    CHECK(err.text().empty());
  }
  SECTION("when a command fails, the reason goes to stderr and FAILED to stdout") {
    Ui ui(out.file(), err.file(), true);
    ui.failed("App 'myapp' not found.");
    CHECK(err.text() == "App 'myapp' not found.\n");
    CHECK(out.text() == "\x1b[31;1mFAILED\x1b[0m\n");
  }
  SECTION("when plain, helpers leave text alone") {
    Ui ui(out.file(), err.file(), false);
    CHECK(ui.bold("x") == "x");
    CHECK(ui.cyan("x") == "x");
    CHECK(ui.red("x") == "x");
    ui.ok();
    ui.failed("boom");
    ui.tip("Use 'cupola target -o acme' to target the new org.");
    ui.warn("Deprecation warning: this flag will be removed.");
    CHECK(out.text() == "OK\n\nFAILED\nTIP: Use 'cupola target -o acme' to target the new org.\n");
    CHECK(err.text() == "boom\nDeprecation warning: this flag will be removed.\n");
  }
  SECTION("when writing tables they come out as rendered") {
    Ui ui(out.file(), err.file(), false);
    ui.key_values({{"name", "myapp"}});
    ui.table({{"name", "state"}, {"web", "running"}});
    CHECK(out.text() == "name:   myapp\nname   state\nweb    running\n");
  }
  SECTION("when stdout is not a terminal there is no progress bar") {
    Ui ui(out.file(), err.file(), false);
    ui.progress(1, 2);
    CHECK(out.text().empty());
  }
  SECTION("when stdout is a terminal the bar repaints, and later output starts below it") {
    Ui ui(out.file(), err.file(), false, 40);
    ui.progress(0, 1024);
    ui.progress(1024, 1024);
    ui.say("Waiting for API to complete processing files...");
    CHECK(out.text() ==
          "\r 0 B / 1.00 KiB [--------------]   0.00%"
          "\r 1.00 KiB / 1.00 KiB [=========] 100.00%"
          "\nWaiting for API to complete processing files...\n");
  }
}
