#include "common/nats/subject.h"

#include <string>

#include <fmt/format.h>

namespace cupola::nats {
namespace {

bool is_forbidden(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

Error invalid(std::string_view what, std::string_view subject, std::string_view problem) {
  return make_error(Errc::InvalidArgument,
                    fmt::format("invalid {} \"{}\": {}", what, subject, problem));
}

Status validate(std::string_view subject, bool wildcards) {
  if (subject.empty()) return invalid("subject", subject, "it is empty");
  std::size_t start = 0;
  std::size_t index = 0;
  while (true) {
    auto end = subject.find('.', start);
    bool last = end == std::string_view::npos;
    auto token = subject.substr(start, last ? std::string_view::npos : end - start);
    if (token.empty()) {
      return invalid("subject", subject, fmt::format("token {} is empty", index + 1));
    }
    for (char c : token) {
      if (is_forbidden(c)) {
        return invalid("subject", subject, "it contains whitespace or a control character");
      }
    }
    bool has_wildcard = token.find_first_of("*>") != std::string_view::npos;
    if (has_wildcard) {
      if (!wildcards) {
        return invalid("subject", subject, "wildcards (* and >) cannot be published to");
      }
      if (token.size() != 1) {
        return invalid("subject", subject,
                       fmt::format("token {} mixes a wildcard with other characters", index + 1));
      }
      if (token == ">" && !last) {
        return invalid("subject", subject, "> may only be the last token");
      }
    }
    if (last) break;
    start = end + 1;
    ++index;
  }
  return {};
}

}  // namespace

Status validate_publish_subject(std::string_view subject) { return validate(subject, false); }

Status validate_subscribe_subject(std::string_view subject) { return validate(subject, true); }

Status validate_queue_group(std::string_view queue) {
  if (queue.empty()) return invalid("queue group", queue, "it is empty");
  for (char c : queue) {
    if (is_forbidden(c)) {
      return invalid("queue group", queue, "it contains whitespace or a control character");
    }
  }
  return {};
}

}  // namespace cupola::nats
