#include "common/jwt/key_set.h"

#include <fmt/format.h>

#include "common/jwt/errors.h"

namespace cupola::jwt {
namespace {

std::string_view view(const json::Value& v) { return {v.GetString(), v.GetStringLength()}; }

std::string_view string_or_empty(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsString() ? view(it->value) : std::string_view();
}

}  // namespace

Result<KeySet> KeySet::from_token_keys(std::string_view text, const json::ParseLimits& limits) {
  auto parsed = json::parse(text, limits);
  if (!parsed) return jwt_error(JwtErrc::InvalidKey, "token keys: " + parsed.error().message);
  const json::Document& doc = *parsed;
  if (!doc.IsObject()) return jwt_error(JwtErrc::InvalidKey, "token keys must be a JSON object");
  auto keys = doc.FindMember("keys");
  if (keys == doc.MemberEnd() || !keys->value.IsArray()) {
    return jwt_error(JwtErrc::InvalidKey, "token keys must have a \"keys\" array");
  }
  KeySet set;
  const auto& list = keys->value;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const json::Value& jwk = list[i];
    auto at = [i](std::string_view what) {
      return jwt_error(JwtErrc::InvalidKey, fmt::format("token keys: keys[{}]: {}", i, what));
    };
    if (!jwk.IsObject()) return at("must be a JSON object");
    if (string_or_empty(jwk, "kty") != "RSA" || string_or_empty(jwk, "use") == "enc") continue;
    std::string_view kid = string_or_empty(jwk, "kid");
    if (kid.empty()) return at("has no \"kid\"");
    auto key = RsaKey::from_jwk(jwk);
    if (!key) return at(key.error().message);
    if (auto added = set.add(std::string(kid), std::move(*key)); !added) {
      return at(added.error().message);
    }
  }
  return set;
}

Status KeySet::add(std::string kid, RsaKey key) {
  if (kid.empty()) return jwt_error(JwtErrc::InvalidKey, "a key needs a non-empty kid");
  if (find(kid)) {
    return jwt_error(JwtErrc::InvalidKey, fmt::format("duplicate kid \"{}\"", kid));
  }
  entries_.push_back(Entry{std::move(kid), std::move(key)});
  return {};
}

const RsaKey* KeySet::find(std::string_view kid) const {
  for (const auto& e : entries_) {
    if (e.kid == kid) return &e.key;
  }
  return nullptr;
}

std::string KeySet::to_token_keys() const {
  json::Writer w;
  w.start_object();
  w.key("keys");
  w.start_array();
  for (const auto& e : entries_) e.key.write_jwk(w, e.kid);
  w.end_array();
  w.end_object();
  return w.str();
}

}  // namespace cupola::jwt
