#include "cli/src/ignore_rules.h"

#include <catch2/catch.hpp>

#include <string>

using namespace cupola;
using cupola::cli::IgnoreRules;

namespace {

IgnoreRules rules_from(std::string_view text) {
  auto rules = IgnoreRules::from_cfignore(text);
  if (!rules) FAIL(rules.error().message);
  return std::move(rules).value();
}

constexpr bool kFile = false;
constexpr bool kDir = true;

}  // namespace

TEST_CASE("Without a .cfignore, version control, manifests and ignore files stay behind",
          "[cli][ignore]") {
  auto rules = IgnoreRules::defaults();

  SECTION("at the root and at any depth, with everything inside them") {
    for (const char* path : {".git", ".svn", ".hg", "_darcs", "sub/deeper/.git"}) {
      INFO(path);
      CHECK(rules.ignored(path, kDir));
    }
    for (const char* path :
         {".git/config", ".git/objects/ab/cdef", "sub/.svn/entries", ".DS_Store", "sub/.DS_Store",
          "manifest.yml", "manifest.yaml", "config/manifest.yml", ".cfignore", "sub/.cfignore",
          ".gitignore", "sub/.gitignore"}) {
      INFO(path);
      CHECK(rules.ignored(path, kFile));
    }
  }
  SECTION("names that only look alike are kept") {
    for (const char* path : {".github/workflows/ci.yml", "manifest.yml.example", "my.git",
                             "gitignore", "app/manifest.yaml.bak", "x.hg.txt", "darcs"}) {
      INFO(path);
      CHECK_FALSE(rules.ignored(path, kFile));
    }
    CHECK_FALSE(rules.ignored(".github", kDir));
  }
  SECTION("the app root itself is never ignored") {
    CHECK_FALSE(rules.ignored("", kDir));
    CHECK_FALSE(rules.ignored(".", kDir));
  }
}

TEST_CASE("A .cfignore uses gitignore patterns", "[cli][ignore]") {
  SECTION("a name without a slash matches at any depth, with what is below it") {
    auto rules = rules_from("*.log\nnode_modules\n");
    CHECK(rules.ignored("app.log", kFile));
    CHECK(rules.ignored("logs/2024/app.log", kFile));
    CHECK(rules.ignored("node_modules", kDir));
    CHECK(rules.ignored("web/node_modules/left-pad/index.js", kFile));
    CHECK_FALSE(rules.ignored("app.log.txt", kFile));
    CHECK_FALSE(rules.ignored("app.rb", kFile));
  }
  SECTION("a leading slash anchors at the app root") {
    auto rules = rules_from("/tmp\n");
    CHECK(rules.ignored("tmp", kDir));
    CHECK(rules.ignored("tmp/cache/x", kFile));
    CHECK_FALSE(rules.ignored("sub/tmp", kDir));
    CHECK_FALSE(rules.ignored("sub/tmp/x", kFile));
  }
  SECTION("a slash inside the pattern anchors it too") {
    auto rules = rules_from("docs/internal\nsrc/*.c\n");
    CHECK(rules.ignored("docs/internal", kDir));
    CHECK(rules.ignored("docs/internal/notes.md", kFile));
    CHECK_FALSE(rules.ignored("web/docs/internal", kDir));
    CHECK(rules.ignored("src/main.c", kFile));
    CHECK_FALSE(rules.ignored("src/lib/util.c", kFile));
  }
  SECTION("a trailing slash matches directories only") {
    auto rules = rules_from("build/\n");
    CHECK(rules.ignored("build", kDir));
    CHECK(rules.ignored("build/out.o", kFile));
    CHECK(rules.ignored("sub/build/out.o", kFile));
    CHECK_FALSE(rules.ignored("build", kFile));
    CHECK_FALSE(rules.ignored("sub/build", kFile));
  }
  SECTION("'!' re-includes what an earlier line ignored; the last matching line decides") {
    auto rules = rules_from("*.log\n!keep.log\n");
    CHECK(rules.has_negations());
    CHECK(rules.ignored("other.log", kFile));
    CHECK_FALSE(rules.ignored("keep.log", kFile));
    CHECK_FALSE(rules.ignored("sub/keep.log", kFile));
    auto reversed = rules_from("!keep.log\n*.log\n");
    CHECK(reversed.ignored("keep.log", kFile));
  }
  SECTION("'!' re-includes a file inside an ignored directory") {
    auto rules = rules_from("logs/\n!logs/keep.txt\n");
    CHECK(rules.ignored("logs", kDir));
    CHECK(rules.ignored("logs/other.txt", kFile));
    CHECK_FALSE(rules.ignored("logs/keep.txt", kFile));
  }
  SECTION("'!' cannot bring back what the default lines leave out") {
    auto rules = rules_from("!manifest.yml\n!.git\n");
    CHECK(rules.ignored("manifest.yml", kFile));
    CHECK(rules.ignored(".git/config", kFile));
  }
  SECTION("'**' matches any number of directories") {
    auto rules = rules_from("**/cache\na/**/b\nvendor/**\n");
    CHECK(rules.ignored("cache", kDir));
    CHECK(rules.ignored("x/y/cache/z", kFile));
    CHECK(rules.ignored("a/b", kFile));
    CHECK(rules.ignored("a/x/y/b", kFile));
    CHECK_FALSE(rules.ignored("c/a/b", kFile));
    CHECK(rules.ignored("vendor/gems", kDir));
    CHECK(rules.ignored("vendor/gems/rack/lib.rb", kFile));
    CHECK_FALSE(rules.ignored("vendor", kDir));
    CHECK_FALSE(rules.ignored("sub/vendor/x", kFile));
  }
  SECTION("'*', '?' and brackets stay within one name") {
    auto rules = rules_from("file?.txt\n[abc].md\n[!0-9]x.csv\n[[:digit:]][[:alpha:]].bin\n");
    CHECK(rules.ignored("file1.txt", kFile));
    CHECK_FALSE(rules.ignored("file10.txt", kFile));
    CHECK_FALSE(rules.ignored("file.txt", kFile));
    CHECK(rules.ignored("b.md", kFile));
    CHECK_FALSE(rules.ignored("d.md", kFile));
    CHECK(rules.ignored("ax.csv", kFile));
    CHECK_FALSE(rules.ignored("1x.csv", kFile));
    CHECK(rules.ignored("7z.bin", kFile));
    CHECK_FALSE(rules.ignored("z7.bin", kFile));
    CHECK_FALSE(rules_from("a*b\n").ignored("a/b", kFile));
  }
  SECTION("comments, blank lines, spaces and CRLF line ends") {
    auto rules = rules_from("# secrets\r\n\r\n   spaced.txt   \r\ntrail\\ \r\n\\#hash\n\\!bang\n");
    CHECK_FALSE(rules.ignored("# secrets", kFile));
    CHECK(rules.ignored("spaced.txt", kFile));
    CHECK(rules.ignored("trail ", kFile));
    CHECK_FALSE(rules.ignored("trail", kFile));
    CHECK(rules.ignored("#hash", kFile));
    CHECK(rules.ignored("!bang", kFile));
    CHECK_FALSE(rules.has_negations());
  }
  SECTION("matching is case-sensitive") {
    CHECK_FALSE(rules_from("*.LOG\n").ignored("app.log", kFile));
  }
  SECTION("a byte order mark before the first line is skipped") {
    CHECK(rules_from("\xEF\xBB\xBFsecret.txt\n").ignored("secret.txt", kFile));
  }
  SECTION("paths may end with '/' or hold '.' components") {
    auto rules = rules_from("/tmp/\n");
    CHECK(rules.ignored("tmp/", kDir));
    CHECK(rules.ignored("./tmp/x", kFile));
  }
  SECTION("many '**' against a deep path stay fast") {
    std::string pattern, path;
    for (int i = 0; i < 200; ++i) pattern += "**/a/";
    pattern += "b";
    for (int i = 0; i < 300; ++i) path += "a/";
    CHECK_FALSE(rules_from(pattern).ignored(path + "c", kFile));
    CHECK(rules_from(pattern).ignored(path + "b", kFile));
  }
}

TEST_CASE("A .cfignore that is too large or malformed is refused, naming it", "[cli][ignore]") {
  SECTION("over 1 MiB") {
    std::string text(cli::kMaxCfignoreBytes + 1, '\n');
    auto rules = IgnoreRules::from_cfignore(text);
    REQUIRE_FALSE(rules);
    CHECK(rules.error().code == Errc::LimitExceeded);
    CHECK_THAT(rules.error().message, Catch::Contains(".cfignore") && Catch::Contains("1048576"));
    CHECK(IgnoreRules::from_cfignore(std::string(cli::kMaxCfignoreBytes, '\n')));
  }
  SECTION("a line over 4 KiB") {
    auto rules = IgnoreRules::from_cfignore("ok\n" + std::string(4097, 'x') + "\n");
    REQUIRE_FALSE(rules);
    CHECK(rules.error().code == Errc::LimitExceeded);
    CHECK(rules.error().message == "Line 2 of .cfignore is longer than 4096 bytes.");
    CHECK(IgnoreRules::from_cfignore(std::string(4096, 'x')));
  }
  SECTION("an unterminated bracket") {
    auto rules = IgnoreRules::from_cfignore("a\nb\nfoo[\n");
    REQUIRE_FALSE(rules);
    CHECK(rules.error().code == Errc::InvalidArgument);
    CHECK_THAT(rules.error().message,
               Catch::StartsWith("Line 3 of .cfignore") && Catch::Contains("unterminated '['"));
  }
  SECTION("a trailing lone backslash") {
    auto rules = IgnoreRules::from_cfignore("foo\\");
    REQUIRE_FALSE(rules);
    CHECK_THAT(rules.error().message, Catch::Contains("lone '\\'"));
  }
  SECTION("a NUL byte") {
    auto rules = IgnoreRules::from_cfignore(std::string("a\0b\n", 4));
    REQUIRE_FALSE(rules);
    CHECK(rules.error().message == "Line 1 of .cfignore contains a NUL byte.");
  }
}
