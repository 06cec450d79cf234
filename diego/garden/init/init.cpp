// The first process of every runc container: it holds the container's namespaces open
// and reaps the orphans that processes run by `runc exec` leave behind. SIGTERM or SIGINT
// end it (and with it, the container). Linked statically: it runs on the stack, not on
// the host's libraries.
#include <signal.h>
#include <sys/wait.h>

#include <cerrno>

int main() {
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_BLOCK, &all, nullptr);
  for (;;) {
    int sig = sigwaitinfo(&all, nullptr);
    if (sig == SIGTERM || sig == SIGINT) return 0;
    if (sig == SIGCHLD || (sig < 0 && errno == EINTR)) {
      while (waitpid(-1, nullptr, WNOHANG) > 0) {
      }
    }
  }
}
