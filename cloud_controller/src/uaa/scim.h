#pragma once

#include <string>
#include <string_view>

#include "cloud_controller/src/uaa/user_store.h"
#include "cloud_controller/src/uaa/users.h"
#include "common/core/result.h"
#include "common/json/json.h"

namespace cupola::cc::uaa {

// SCIM 1.0 as UAA speaks it on /Users.

// One user: id, externalId, meta {version, created, lastModified}, userName, name
// {familyName, givenName}, emails [{value, primary}], groups (its scopes, as UAA lists the
// groups that grant them), approvals, phoneNumbers, active, verified, origin, zoneId,
// passwordLastModified, schemas. Never the password.
void write_scim_user(json::Writer& w, const User& user);
std::string scim_user_json(const User& user);

// A list: {"resources":[...],"startIndex":n,"itemsPerPage":n,"totalResults":n,"schemas":[...]}.
// `start_index` is SCIM's one-based index.
std::string scim_list_json(const UserPage& page, std::size_t start_index,
                           std::size_t items_per_page);

// Decodes a POST /Users body: userName, password, origin, name.givenName/familyName,
// emails (exactly one, with a value, as UAA requires), active. UaaErrc::InvalidScimResource
// naming what is wrong.
Result<NewUser> parse_new_user(std::string_view body);

// Parses a filter such as `userName eq "bob" and origin eq "uaa"`: clauses on userName,
// origin and id (attribute names and "eq"/"and" in any case), values in double quotes with
// backslash escapes. Anything else is UaaErrc::InvalidFilter.
Result<UserFilter> parse_user_filter(std::string_view filter);

}  // namespace cupola::cc::uaa
