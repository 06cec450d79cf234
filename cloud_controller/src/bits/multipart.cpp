#include "cloud_controller/src/bits/multipart.h"

#include <utility>

namespace cupola::cc::bits {
namespace {

// RFC 2046 §5.1.1: boundaries are 1 to 70 characters.
constexpr std::size_t kMaxBoundary = 70;

Error malformed(std::string_view detail) {
  return make_error(Errc::InvalidArgument,
                    "The request body is not valid multipart/form-data: " + std::string(detail));
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A header value with parameters: `value; name=token; name="quoted \" string"`. Parameter
// names are lowercased; the first of a repeated name counts.
struct HeaderValue {
  std::string value;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* param(std::string_view name) const {
    for (const auto& [k, v] : params) {
      if (k == name) return &v;
    }
    return nullptr;
  }
};

std::optional<HeaderValue> parse_header_value(std::string_view s) {
  HeaderValue out;
  auto semi = s.find(';');
  out.value = lower(trim(s.substr(0, semi)));
  if (semi == std::string_view::npos) return out;
  s.remove_prefix(semi + 1);
  while (true) {
    s = trim(s);
    if (s.empty()) return out;
    if (s.front() == ';') {
      s.remove_prefix(1);
      continue;
    }
    auto eq = s.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    std::string name = lower(trim(s.substr(0, eq)));
    if (name.empty()) return std::nullopt;
    s = trim(s.substr(eq + 1));
    std::string value;
    if (!s.empty() && s.front() == '"') {
      std::size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i];
      }
      if (i >= s.size()) return std::nullopt;
      s.remove_prefix(i + 1);
    } else {
      auto end = s.find(';');
      value = std::string(trim(s.substr(0, end)));
      s.remove_prefix(end == std::string_view::npos ? s.size() : end);
    }
    s = trim(s);
    if (!s.empty() && s.front() != ';') return std::nullopt;
    out.params.emplace_back(std::move(name), std::move(value));
  }
}

Result<std::string> boundary_of(std::string_view content_type) {
  auto header = parse_header_value(content_type);
  if (!header || header->value != "multipart/form-data") {
    return malformed("the Content-Type is not multipart/form-data");
  }
  const std::string* boundary = header->param("boundary");
  if (!boundary || boundary->empty()) return malformed("the Content-Type has no boundary");
  if (boundary->size() > kMaxBoundary || boundary->find_first_of("\r\n") != std::string::npos) {
    return malformed("the boundary is not 1 to 70 characters on one line");
  }
  return *boundary;
}

// Fills `part` from its header block (the lines before the blank line).
Status parse_headers(std::string_view block, std::size_t index, Part& part) {
  std::string which = "part " + std::to_string(index);
  std::optional<HeaderValue> disposition;
  part.content_type = "text/plain";
  while (!block.empty()) {
    auto end = block.find("\r\n");
    std::string_view line = block.substr(0, end);
    block.remove_prefix(end == std::string_view::npos ? block.size() : end + 2);
    auto colon = line.find(':');
    if (line.empty() || is_space(line.front()) || colon == std::string_view::npos || colon == 0) {
      return malformed(which + " has a malformed header line");
    }
    std::string name = lower(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      if (disposition) return malformed(which + " has two Content-Disposition headers");
      disposition = parse_header_value(value);
      if (!disposition) return malformed(which + " has a malformed Content-Disposition");
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition || disposition->value != "form-data") {
    return malformed(which + " is not form-data");
  }
  const std::string* field = disposition->param("name");
  if (!field || field->empty()) return malformed(which + " has no name");
  part.name = *field;
  if (const std::string* filename = disposition->param("filename")) part.filename = *filename;
  return {};
}

}  // namespace

Result<std::vector<Part>> parse_multipart(std::string_view body,
                                          std::string_view content_type_header,
                                          const MultipartLimits& limits) {
  auto boundary = boundary_of(content_type_header);
  if (!boundary) return std::move(boundary).error();
  const std::string delimiter = "\r\n--" + *boundary;
  std::string_view first(delimiter);
  first.remove_prefix(2);

  // The first delimiter opens the body or follows the preamble on a line of its own.
  std::size_t pos;
  if (body.substr(0, first.size()) == first) {
    pos = first.size();
  } else {
    pos = body.find(delimiter);
    if (pos == std::string_view::npos) return malformed("the body has no boundary delimiter");
    pos += delimiter.size();
  }

  std::vector<Part> parts;
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter; the rest is epilogue
    while (pos < body.size() && is_space(body[pos])) ++pos;
    if (body.substr(pos, 2) != "\r\n") {
      if (std::string_view("\r\n").starts_with(body.substr(pos))) {
        return malformed("the body ends before its closing boundary");
      }
      return malformed("a boundary delimiter is not followed by a line break");
    }
    pos += 2;
    if (parts.size() == limits.max_parts) {
      return make_error(Errc::LimitExceeded,
                        "The request body is not valid multipart/form-data: "
                        "it has more than " +
                            std::to_string(limits.max_parts) + " parts");
    }

    // Headers end at a blank line; a part with no headers starts with it.
    std::size_t data_start;
    std::string_view headers;
    if (body.substr(pos, 2) == "\r\n") {
      data_start = pos + 2;
    } else {
      std::string_view window = body.substr(pos, limits.max_header_bytes + 4);
      auto blank = window.find("\r\n\r\n");
      if (blank == std::string_view::npos) {
        if (window.size() == body.size() - pos) {
          return malformed("the body ends before its closing boundary");
        }
        return make_error(Errc::LimitExceeded,
                          "The request body is not valid multipart/form-data: part " +
                              std::to_string(parts.size() + 1) + " has more than " +
                              std::to_string(limits.max_header_bytes) + " bytes of headers");
      }
      headers = window.substr(0, blank);
      data_start = pos + blank + 4;
    }

    Part part;
    if (auto ok = parse_headers(headers, parts.size() + 1, part); !ok) return std::move(ok).error();
    auto next = body.find(delimiter, data_start);
    if (next == std::string_view::npos) {
      return malformed("the body ends before its closing boundary");
    }
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + delimiter.size();
  }
}

}  // namespace cupola::cc::bits
