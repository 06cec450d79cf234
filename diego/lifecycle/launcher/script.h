#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cupola::lifecycle {

// Printed on stdout before the profile scripts run and before the start command, as Cloud
// Foundry's launcher prints them, so app logs show where start-up time goes.
inline constexpr std::string_view kPreStartMessage = "Invoking pre-start scripts.";
inline constexpr std::string_view kStartMessage = "Invoking start command.";

// `s` as one bash word in single quotes: 'it'\''s'.
std::string shell_single_quote(std::string_view s);

// The bash program the launcher runs. It takes the app dir as $1 and the start command as
// $2 (never spliced into the program text, so any command is safe), cds into the app dir,
// sources ../profile.d/* then .profile.d/* then .profile (those that are files), and execs
// `bash -c <start command>`, so the app keeps the launcher's pid.
std::string launcher_script();

// The argv for /bin/bash: bash -c <launcher_script()> <program> <app dir> <start command>.
std::vector<std::string> launcher_argv(std::string_view program, std::string_view app_dir,
                                       std::string_view start_command);

}  // namespace cupola::lifecycle
