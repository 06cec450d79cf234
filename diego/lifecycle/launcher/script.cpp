#include "diego/lifecycle/launcher/script.h"

namespace cupola::lifecycle {

std::string shell_single_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string launcher_script() {
  // No `set -e`, as in Cloud Foundry's launcher: a failing command in a profile script is
  // reported in the app's logs and the app still starts.
  return "cd \"$1\" || exit 1\n"
         "echo " +
         shell_single_quote(kPreStartMessage) +
         "\n"
         "for cupola_profile in ../profile.d/* .profile.d/*; do\n"
         "  if [ -f \"$cupola_profile\" ]; then\n"
         "    source \"$cupola_profile\"\n"
         "  fi\n"
         "done\n"
         "unset cupola_profile\n"
         "if [ -f .profile ]; then\n"
         "  source .profile\n"
         "fi\n"
         "shift\n"
         "echo " +
         shell_single_quote(kStartMessage) +
         "\n"
         "exec bash -c \"$@\"\n";
}

std::vector<std::string> launcher_argv(std::string_view program, std::string_view app_dir,
                                       std::string_view start_command) {
  return {"bash",
          "-c",
          launcher_script(),
          std::string(program),
          std::string(app_dir),
          std::string(start_command)};
}

}  // namespace cupola::lifecycle
