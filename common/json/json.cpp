#include "common/json/json.h"

#include <limits>

#include <fmt/format.h>
#include <rapidjson/error/en.h>

#include "common/core/time.h"

namespace cupola::json {
namespace {

// Depth of nesting outside strings; RapidJSON's iterative parser does not bound it.
bool within_depth(std::string_view text, unsigned max_depth, std::size_t& at) {
  unsigned depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        at = i;
        return false;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return true;
}

template <class D>
bool read_duration(const Value& v, D& out, std::string_view& expected) {
  expected = "a duration string such as \"30s\"";
  if (!v.IsString()) return false;
  auto d = parse_duration(std::string_view(v.GetString(), v.GetStringLength()));
  if (!d) return false;
  out = std::chrono::duration_cast<D>(*d);
  return true;
}

}  // namespace

Result<Document> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return make_error(Errc::LimitExceeded,
                      fmt::format("JSON document of {} bytes exceeds the limit of {} bytes",
                                  text.size(), limits.max_bytes));
  }
  std::size_t at = 0;
  if (!within_depth(text, limits.max_depth, at)) {
    return make_error(
        Errc::LimitExceeded,
        fmt::format("JSON nested deeper than {} levels at offset {}", limits.max_depth, at));
  }
  Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    return make_error(Errc::InvalidArgument,
                      fmt::format("invalid JSON at offset {}: {}", doc.GetErrorOffset(),
                                  rapidjson::GetParseError_En(doc.GetParseError())));
  }
  return doc;
}

std::string to_string(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string_view type_name(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return "a number";
  }
  return "unknown";
}

bool read_value(const Value& v, std::string& out, std::string_view& expected) {
  expected = "a string";
  if (!v.IsString()) return false;
  out.assign(v.GetString(), v.GetStringLength());
  return true;
}

bool read_value(const Value& v, bool& out, std::string_view& expected) {
  expected = "a boolean";
  if (!v.IsBool()) return false;
  out = v.GetBool();
  return true;
}

bool read_value(const Value& v, std::int64_t& out, std::string_view& expected) {
  expected = "an integer";
  if (!v.IsInt64()) return false;
  out = v.GetInt64();
  return true;
}

bool read_value(const Value& v, std::uint64_t& out, std::string_view& expected) {
  expected = "a non-negative integer";
  if (!v.IsUint64()) return false;
  out = v.GetUint64();
  return true;
}

bool read_value(const Value& v, int& out, std::string_view& expected) {
  expected = "an integer";
  if (!v.IsInt()) return false;
  out = v.GetInt();
  return true;
}

bool read_value(const Value& v, unsigned& out, std::string_view& expected) {
  expected = "a non-negative integer";
  if (!v.IsUint()) return false;
  out = v.GetUint();
  return true;
}

bool read_value(const Value& v, double& out, std::string_view& expected) {
  expected = "a number";
  if (!v.IsNumber()) return false;
  out = v.GetDouble();
  return true;
}

bool read_value(const Value& v, std::chrono::nanoseconds& out, std::string_view& expected) {
  return read_duration(v, out, expected);
}
bool read_value(const Value& v, std::chrono::milliseconds& out, std::string_view& expected) {
  return read_duration(v, out, expected);
}
bool read_value(const Value& v, std::chrono::seconds& out, std::string_view& expected) {
  return read_duration(v, out, expected);
}

ObjectReader::ObjectReader(const Value& v, std::string path)
    : value_(&v), path_(std::move(path)), problems_(std::make_shared<std::vector<std::string>>()) {
  if (!v.IsObject()) {
    problems_->push_back(fmt::format("{}: expected an object, got {}",
                                     path_.empty() ? "document" : path_, type_name(v)));
  }
}

ObjectReader::ObjectReader(const Value& v, std::string path, ObjectReader& parent)
    : value_(&v), path_(std::move(path)), problems_(parent.problems_) {
  if (!v.IsObject()) {
    problems_->push_back(fmt::format("{}: expected an object, got {}", path_, type_name(v)));
  }
}

ObjectReader ObjectReader::object(std::string_view key, bool must_exist) {
  static const Value kEmpty(rapidjson::kObjectType);
  const Value* v = find(key);
  if (!v || v->IsNull()) {
    if (must_exist) problem(key, "is required");
    return ObjectReader(kEmpty, path_of(key), *this);
  }
  return ObjectReader(*v, path_of(key), *this);
}

const Value* ObjectReader::find(std::string_view key) const {
  if (!value_->IsObject()) return nullptr;
  auto it = value_->FindMember(
      Value(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))));
  return it == value_->MemberEnd() ? nullptr : &it->value;
}

std::string ObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void ObjectReader::problem(std::string_view key, std::string_view what) {
  problems_->push_back(fmt::format("{}: {}", path_of(key), what));
}

void ObjectReader::type_problem(std::string_view key, const Value& v, std::string_view expected) {
  if (v.IsString() && expected.starts_with("a duration")) {
    auto d = parse_duration(std::string_view(v.GetString(), v.GetStringLength()));
    problems_->push_back(fmt::format("{}: {}", path_of(key), d.error().message));
    return;
  }
  problems_->push_back(
      fmt::format("{}: expected {}, got {}", path_of(key), expected, type_name(v)));
}

Status ObjectReader::status(std::string_view what) const {
  if (problems_->empty()) return {};
  std::string msg = fmt::format("{} has {} problem{}:", what, problems_->size(),
                                problems_->size() == 1 ? "" : "s");
  for (const auto& p : *problems_) msg += "\n  - " + p;
  return make_error(Errc::InvalidArgument, std::move(msg));
}

}  // namespace cupola::json
