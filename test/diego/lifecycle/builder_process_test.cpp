// cupola-builder run as a process against buildpacks written by the test (shell scripts that
// follow Cloud Foundry's buildpack API): detection order, supply and finalize, old-style
// compile, release and Procfile, the droplet's layout, the result, and each failure's status.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/testing/process.h"
#include "common/testing/temp_dir.h"
#include "diego/lifecycle/builder/builder.h"
#include "test/diego/lifecycle/child.h"

using namespace cupola::lifecycle;
using namespace cupola::lifecycle::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text, bool executable = false) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
  if (executable) ::chmod(p.c_str(), 0755);
}

// What `sh -c SCRIPT` prints on stdout.
std::string run_shell(const std::string& script) {
  std::string command = "sh -c '";
  for (char c : script) command += c == '\'' ? std::string("'\\''") : std::string(1, c);
  command += "'";
  std::string out;
  if (FILE* f = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    ::pclose(f);
  }
  return out;
}

// A staging area like the container's /tmp: app/, buildpacks/, cache/.
struct Staging {
  cupola::testing::TempDir dir{"builder"};
  fs::path app() const { return dir.path() / "app"; }
  fs::path buildpacks() const { return dir.path() / "buildpacks"; }

  // A buildpack whose scripts leave marks in the app, detecting when `detects` exists.
  void buildpack(const std::string& name, const std::string& detects, bool finalize = true,
                 const std::string& release = "web: ./start") {
    fs::path bin = buildpacks() / name / "bin";
    write(bin / "detect",
          "#!/bin/sh\n[ -e \"$1/" + detects + "\" ] && echo " + name +
              "-detected && exit 0\nexit 1\n",
          true);
    write(bin / "supply",
          "#!/bin/sh\necho \"supplying " + name +
              "\"\nmkdir -p \"$3/$4/profile.d\" && echo 'export FROM_" + name +
              "=1' > \"$3/$4/profile.d/" + name + ".sh\"\necho " + name + " >> \"$1/supplied\"\n",
          true);
    if (finalize) {
      write(bin / "finalize",
            "#!/bin/sh\necho \"finalizing " + name + " with $# arguments\"\necho " + name +
                " >> \"$1/finalized\"\ntouch \"$5/" + name + ".sh\"\n",
            true);
    } else {
      write(bin / "compile", "#!/bin/sh\necho compiling\necho " + name + " > \"$1/compiled\"\n",
            true);
    }
    write(bin / "release",
          "#!/bin/sh\necho ---\necho default_process_types:\necho '  " + release + "'\n", true);
    write(buildpacks() / name / "VERSION", "2.1.0\n");
  }

  ChildResult build(const std::string& order, bool skip_detect = false) {
    ChildOptions o;
    o.path = cupola::testing::binary_path("cupola-builder");
    o.args = {"-buildDir=" + app().string(),
              "-outputDroplet=" + (dir.path() / "droplet.tgz").string(),
              "-outputMetadata=" + (dir.path() / "result.json").string(),
              "-buildArtifactsCacheDir=" + (dir.path() / "cache").string(),
              "-buildpacksDir=" + buildpacks().string(),
              "-buildpackOrder=" + order,
              std::string("-skipDetect=") + (skip_detect ? "true" : "false"),
              "-outputBuildArtifactsCache=" + (dir.path() / "cache.tgz").string(),
              "-someFutureFlag=ignored"};
    return run_child(o, 30s);
  }

  // The droplet's entries, as tar lists them.
  std::string listing() {
    ChildOptions o;
    o.path = "/bin/tar";
    o.args = {"-tzf", (dir.path() / "droplet.tgz").string()};
    return run_child(o).out;
  }
  std::string file(const std::string& name) {
    std::ifstream in(dir.path() / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

}  // namespace

TEST_CASE("the builder detects in order, supplies and finalizes, and packs the droplet") {
  Staging s;
  write(s.app() / "index.html", "<h1>hi</h1>\n");
  s.buildpack("ruby", "Gemfile");
  s.buildpack("static", "index.html");
  s.buildpack("also_static", "index.html");

  auto r = s.build("ruby,static,also_static");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("finalizing static with 5 arguments") != std::string::npos);
  CHECK(r.out.find("also_static") == std::string::npos);  // the first detection wins
  std::string listing = s.listing();
  for (const char* entry :
       {"./app/index.html", "./app/finalized", "./app/.profile.d/static.sh",
        "./deps/0/profile.d/static.sh", "./staging_info.yml", "./tmp/", "./logs/"}) {
    INFO(entry << " in\n" << listing);
    CHECK(listing.find(entry) != std::string::npos);
  }
  std::string result = s.file("result.json");
  CHECK(result.find(R"("process_types":{"web":"./start"})") != std::string::npos);
  CHECK(result.find(R"("detected_buildpack":"static-detected")") != std::string::npos);
  CHECK(result.find(R"("key":"static","name":"static","version":"2.1.0")") != std::string::npos);
  CHECK(fs::exists(s.dir.path() / "cache.tgz"));  // the build cache, for the next staging
}

TEST_CASE("named buildpacks skip detection: supply for each, finalize for the last") {
  Staging s;
  write(s.app() / "README", "nothing to detect\n");
  write(s.app() / "Procfile", "web: ./serve --port $PORT\nworker: ./work\n");
  s.buildpack("first", "never");
  s.buildpack("second", "never");
  auto r = s.build("first,second", true);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("supplying first") != std::string::npos);
  CHECK(r.out.find("supplying second") != std::string::npos);
  std::string result = s.file("result.json");
  // The Procfile wins over bin/release.
  CHECK(result.find(R"("web":"./serve --port $PORT")") != std::string::npos);
  CHECK(result.find(R"("worker":"./work")") != std::string::npos);
  CHECK(s.listing().find("./deps/1/profile.d/second.sh") != std::string::npos);
}

TEST_CASE("an old-style buildpack compiles") {
  Staging s;
  write(s.app() / "app.rb", "puts 1\n");
  s.buildpack("classic", "app.rb", false, "web: ruby app.rb");
  auto r = s.build("classic");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("compiling") != std::string::npos);
  CHECK(s.listing().find("./app/compiled") != std::string::npos);
  CHECK(s.file("result.json").find(R"("web":"ruby app.rb")") != std::string::npos);
}

TEST_CASE("failures exit with the status the Cloud Controller reports") {
  SECTION("nothing detects: 222") {
    Staging s;
    write(s.app() / "README", "x\n");
    s.buildpack("static", "index.html");
    auto r = s.build("static");
    CHECK(r.exit_code == kDetectFailed);
    CHECK(r.err.find("None of the buildpacks detected a compatible application") !=
          std::string::npos);
  }
  SECTION("finalize fails: 223") {
    Staging s;
    write(s.app() / "index.html", "x\n");
    s.buildpack("static", "index.html");
    write(s.buildpacks() / "static/bin/finalize", "#!/bin/sh\necho broken >&2\nexit 3\n", true);
    auto r = s.build("static");
    CHECK(r.exit_code == kCompileFailed);
    CHECK(r.err.find("broken") != std::string::npos);
  }
  SECTION("release fails: 224") {
    Staging s;
    write(s.app() / "index.html", "x\n");
    s.buildpack("static", "index.html");
    write(s.buildpacks() / "static/bin/release", "#!/bin/sh\nexit 1\n", true);
    CHECK(s.build("static").exit_code == kReleaseFailed);
  }
  SECTION("a supply fails: 225") {
    Staging s;
    write(s.app() / "index.html", "x\n");
    s.buildpack("first", "never");
    s.buildpack("second", "never");
    write(s.buildpacks() / "first/bin/supply", "#!/bin/sh\nexit 9\n", true);
    CHECK(s.build("first,second", true).exit_code == kSupplyFailed);
  }
}

TEST_CASE("release output and Procfiles parse as Cloud Foundry writes them") {
  auto release = parse_release(
      "---\nconfig_vars:\n  A: b\n  B: 'it''s'\ndefault_process_types:\n"
      "  web: \"bundle exec rackup -p $PORT\"\n  worker: ./w\naddons: []\n");
  CHECK(release.process_types == std::map<std::string, std::string>{
                                     {"web", "bundle exec rackup -p $PORT"}, {"worker", "./w"}});
  CHECK(release.config_vars.at("A") == "b");
  CHECK(parse_procfile("# comment\nweb: python3 app.py\n\nclock:  ./clock \n") ==
        std::map<std::string, std::string>{{"web", "python3 app.py"}, {"clock", "./clock"}});
  BuilderOptions o;
  CHECK(parse_builder_options({"-buildpackOrder", "a,b", "--skipDetect=true", "-unknown", "x"}, o)
            .empty());
  CHECK(o.buildpack_order == std::vector<std::string>{"a", "b"});
  CHECK(o.skip_detect);
  CHECK_FALSE(parse_builder_options({"-skipDetect=maybe"}, o).empty());
}

TEST_CASE("config_vars become defaults that the app's own environment overrides") {
  cupola::testing::TempDir dir{"config-vars"};
  write(dir / "vars.sh", config_vars_script({{"GREETING", "it's $HOME `x`"},
                                             {"MODE", "production"},
                                             {"1BAD", "x"},
                                             {"ALSO-BAD", "y"}}));
  std::string out =
      run_shell("MODE=debug; . " + (dir / "vars.sh").string() +
                "; printf '%s|%s|%s' \"$GREETING\" \"$MODE\" \"$(env | grep -c BAD)\"");
  CHECK(out == "it's $HOME `x`|debug|0");
}
