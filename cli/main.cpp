// cupola: the command-line client. Everything lives in cli/src; this only wires the terminal.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "cli/src/session.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  cupola::cli::Ui ui(stdout, stderr, cupola::cli::Ui::color_wanted(STDOUT_FILENO));
  int rc = cupola::cli::run_cli(args, ui);
  ui.flush();
  return rc;
}
