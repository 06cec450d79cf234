#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "common/core/result.h"

namespace cupola::json {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

struct ParseLimits {
  std::size_t max_bytes = 1 << 20;  // whole document
  unsigned max_depth = 64;          // nested objects and arrays
};

// Parses a JSON document within the limits. Errors say where and why
// ("invalid JSON at offset 12: missing a comma or '}' after an object member").
Result<Document> parse(std::string_view text, const ParseLimits& limits = {});

// Compact serialisation.
std::string to_string(const Value& v);

// A human-readable name of a value's type: "string", "number", "object", ...
std::string_view type_name(const Value& v);

// Typed reads of one value. Each returns false when the value has the wrong type or is out
// of range; `expected` then names what was wanted ("a string", "an integer").
bool read_value(const Value& v, std::string& out, std::string_view& expected);
bool read_value(const Value& v, bool& out, std::string_view& expected);
bool read_value(const Value& v, std::int64_t& out, std::string_view& expected);
bool read_value(const Value& v, std::uint64_t& out, std::string_view& expected);
bool read_value(const Value& v, int& out, std::string_view& expected);
bool read_value(const Value& v, unsigned& out, std::string_view& expected);
bool read_value(const Value& v, double& out, std::string_view& expected);
// Durations are strings ("30s", "500ms"); see parse_duration.
bool read_value(const Value& v, std::chrono::nanoseconds& out, std::string_view& expected);
bool read_value(const Value& v, std::chrono::milliseconds& out, std::string_view& expected);
bool read_value(const Value& v, std::chrono::seconds& out, std::string_view& expected);

// Reads the members of one JSON object into typed fields and collects every problem, each
// naming the field's full path ("router.port: expected an integer, got a string"), so a
// caller can report them all at once.
class ObjectReader {
 public:
  // `path` is the dotted location of `v` ("" for the root). A non-object records a problem.
  explicit ObjectReader(const Value& v, std::string path = "");
  // Shares the problem list of `parent`.
  ObjectReader(const Value& v, std::string path, ObjectReader& parent);

  template <class T>
  bool required(std::string_view key, T& out) {
    const Value* v = find(key);
    if (!v) {
      problem(key, "is required");
      return false;
    }
    return read_into(key, *v, out);
  }

  // Leaves `out` (its default) untouched when the key is absent or null.
  template <class T>
  bool optional(std::string_view key, T& out) {
    const Value* v = find(key);
    if (!v || v->IsNull()) return true;
    return read_into(key, *v, out);
  }

  template <class T>
  bool optional(std::string_view key, std::optional<T>& out) {
    const Value* v = find(key);
    if (!v || v->IsNull()) return true;
    T tmp{};
    if (!read_into(key, *v, tmp)) return false;
    out = std::move(tmp);
    return true;
  }

  // A nested object reader sharing this reader's problems. When the key is absent it
  // reads an empty object (every optional keeps its default); `must_exist` records a problem.
  ObjectReader object(std::string_view key, bool must_exist = false);

  // The member's value, or nullptr. Null while this reader is not an object.
  const Value* find(std::string_view key) const;
  std::string path_of(std::string_view key) const;

  // Records a problem for a member ("<path>.<key>: <what>").
  void problem(std::string_view key, std::string_view what);

  bool ok() const { return problems_->empty(); }
  const std::vector<std::string>& problems() const { return *problems_; }
  // Ok, or an InvalidArgument error listing every problem, one per line.
  Status status(std::string_view what) const;

 private:
  template <class T>
  bool read_into(std::string_view key, const Value& v, T& out) {
    std::string_view expected;
    if (read_value(v, out, expected)) return true;
    type_problem(key, v, expected);
    return false;
  }
  template <class T>
  bool read_into(std::string_view key, const Value& v, std::vector<T>& out) {
    if (!v.IsArray()) {
      type_problem(key, v, "an array");
      return false;
    }
    std::vector<T> tmp;
    tmp.reserve(v.Size());
    bool ok = true;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      T item{};
      std::string_view expected;
      if (read_value(v[i], item, expected)) {
        tmp.push_back(std::move(item));
      } else {
        type_problem(std::string(key) + "[" + std::to_string(i) + "]", v[i], expected);
        ok = false;
      }
    }
    if (ok) out = std::move(tmp);
    return ok;
  }
  template <class T>
  bool read_into(std::string_view key, const Value& v, std::map<std::string, T>& out) {
    if (!v.IsObject()) {
      type_problem(key, v, "an object");
      return false;
    }
    std::map<std::string, T> tmp;
    bool ok = true;
    for (const auto& m : v.GetObject()) {
      T item{};
      std::string_view expected;
      std::string name(m.name.GetString(), m.name.GetStringLength());
      if (read_value(m.value, item, expected)) {
        tmp.emplace(name, std::move(item));
      } else {
        type_problem(std::string(key) + "." + name, m.value, expected);
        ok = false;
      }
    }
    if (ok) out = std::move(tmp);
    return ok;
  }
  void type_problem(std::string_view key, const Value& v, std::string_view expected);

  const Value* value_;
  std::string path_;
  std::shared_ptr<std::vector<std::string>> problems_;
};

// Streaming writer for compact JSON:
//   Writer w; w.start_object(); w.field("name", "web"); w.key("ports"); w.start_array(); ...
class Writer {
 public:
  Writer() : w_(buf_) {}

  Writer& start_object() { return done(w_.StartObject()); }
  Writer& end_object() { return done(w_.EndObject()); }
  Writer& start_array() { return done(w_.StartArray()); }
  Writer& end_array() { return done(w_.EndArray()); }
  Writer& key(std::string_view k) {
    return done(w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())));
  }
  Writer& value(std::string_view s) {
    return done(w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  }
  Writer& value(const char* s) { return value(std::string_view(s)); }
  Writer& value(const std::string& s) { return value(std::string_view(s)); }
  Writer& value(bool b) { return done(w_.Bool(b)); }
  Writer& value(int i) { return done(w_.Int64(i)); }
  Writer& value(long i) { return done(w_.Int64(i)); }
  Writer& value(long long i) { return done(w_.Int64(i)); }
  Writer& value(unsigned i) { return done(w_.Uint64(i)); }
  Writer& value(unsigned long i) { return done(w_.Uint64(i)); }
  Writer& value(unsigned long long i) { return done(w_.Uint64(i)); }
  Writer& value(double d) { return done(w_.Double(d)); }
  Writer& value(std::nullptr_t) { return done(w_.Null()); }
  Writer& value(const Value& v) { return done(v.Accept(w_)); }
  // Inserts already-serialised JSON as a value.
  Writer& raw(std::string_view json) {
    return done(w_.RawValue(json.data(), json.size(), rapidjson::kObjectType));
  }
  template <class T>
  Writer& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  // The document so far. Complete once every start_* has its end_*.
  std::string_view view() const { return {buf_.GetString(), buf_.GetSize()}; }
  std::string str() const { return std::string(view()); }
  bool complete() const { return w_.IsComplete(); }

 private:
  Writer& done(bool ok) {
    assert(ok && "json::Writer misuse: key/value out of order");
    (void)ok;
    return *this;
  }
  rapidjson::StringBuffer buf_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

}  // namespace cupola::json
