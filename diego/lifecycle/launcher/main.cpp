// cupola-launcher <app dir> <start command> [<metadata>]: starts an app inside its container
// as Cloud Foundry's launcher does. It sets HOME, TMPDIR, DEPS_DIR, VCAP_APPLICATION and
// DATABASE_URL, then execs bash to source the app's profile scripts and exec the start
// command (or staging_info.yml's when the given one is empty), so the app takes over this
// process. Exits 1 on bad usage or without a start command, 3 when the environment cannot
// be set, 4 when bash cannot be run. Linked statically: the container's root filesystem is
// not the host's.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "diego/lifecycle/launcher/environment.h"
#include "diego/lifecycle/launcher/script.h"
#include "diego/lifecycle/launcher/staging_info.h"

namespace {

constexpr std::size_t kMaxStagingInfoBytes = 1 << 20;

void print_error(const std::string& text) { std::fputs((text + "\n").c_str(), stderr); }

std::string errno_text(int err) {
  char buf[256];
  return ::strerror_r(err, buf, sizeof(buf));
}

// The file's contents; an empty optional with errno set when it cannot be read. Reads at
// most `limit` bytes (EFBIG beyond).
std::optional<std::string> read_file(const std::string& path, std::size_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[8192];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) break;
    if (n < 0 || out.size() + static_cast<std::size_t>(n) > limit) {
      int err = n < 0 ? errno : EFBIG;
      ::close(fd);
      errno = err;
      return std::nullopt;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cupola::lifecycle;
  const std::string program = argc > 0 ? argv[0] : "cupola-launcher";
  if (argc < 3) {
    print_error(program + ": received only " + std::to_string(argc > 0 ? argc - 1 : 0) +
                " arguments\nUsage: " + program + " <app-directory> <start-command> [<metadata>]");
    return 1;
  }

  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof(cwd))) {
    print_error(program + ": cannot read the working directory: " + errno_text(errno));
    return 1;
  }
  const std::string dir = absolute_path(cwd, argv[1]);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    print_error(program + ": app directory " + dir + ": " + errno_text(errno));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    print_error(program + ": app directory " + dir + ": not a directory");
    return 1;
  }

  // staging_info.yml sits next to the app directory, at the droplet's root.
  const std::string staging_path = clean_path(dir + "/../staging_info.yml");
  StagingInfo info;
  if (auto text = read_file(staging_path, kMaxStagingInfoBytes)) {
    auto parsed = parse_staging_info(*text);
    if (!parsed) {
      print_error("Invalid staging info - failed to parse " + staging_path + ": " +
                  parsed.error().message);
      return 1;
    }
    info = std::move(*parsed);
  } else if (errno != ENOENT) {
    print_error("Invalid staging info - cannot read " + staging_path + ": " + errno_text(errno));
    return 1;
  }

  const std::string command = argv[2][0] != '\0' ? argv[2] : info.start_command;
  if (command.empty()) {
    print_error(program + ": no start command specified or detected in droplet");
    return 1;
  }

  auto lookup = [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  for (const auto& setting : launch_environment(dir, lookup)) {
    if (::setenv(setting.name.c_str(), setting.value.c_str(), 1) != 0) {
      print_error("Unable to set " + setting.name + " environment variable: " + errno_text(errno));
      return 3;
    }
  }

  std::vector<std::string> args = launcher_argv(program, dir, command);
  std::vector<char*> argp;
  for (auto& a : args) argp.push_back(a.data());
  argp.push_back(nullptr);
  std::fflush(stdout);
  ::execv("/bin/bash", argp.data());
  print_error(program + ": cannot run /bin/bash: " + errno_text(errno));
  return 4;
}
