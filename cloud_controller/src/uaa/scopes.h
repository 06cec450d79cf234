#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace cupola::cc::uaa {

// The scopes a user's tokens carry: every user gets the first list; platform
// administrators (User::admin) also the second. The Cloud Controller authorises on
// cloud_controller.*; the log store on logs.admin/doppler.firehose; /Users on scim.*.
std::vector<std::string> user_scopes(bool admin);

// UAA's "aud": the client id, then for each scope its resource (the part before the last
// '.', "openid" for itself), each once, in scope order.
std::vector<std::string> audiences(std::string_view client_id,
                                   const std::vector<std::string>& scopes);

// Whether `scopes` holds any of `wanted`.
bool has_any_scope(const std::vector<std::string>& scopes,
                   std::initializer_list<std::string_view> wanted);

// "a b c": the form of the token response's "scope".
std::string join_scopes(const std::vector<std::string>& scopes);

}  // namespace cupola::cc::uaa
