#include <algorithm>

#include "cloud_controller/src/handlers/handlers.h"

namespace cupola::cc {
namespace asio = boost::asio;

std::string relationship_guid(const json::Value& body, const char* name);

namespace {

const ListSpec kRoleList{{"guids", "types", "user_guids", "organization_guids", "space_guids"},
                         {"created_at", "updated_at"},
                         {"user", "organization", "space"}};

bool is_org_role(std::string_view t) {
  return std::find(std::begin(kOrgRoleTypes), std::end(kOrgRoleTypes), t) !=
         std::end(kOrgRoleTypes);
}
bool is_space_role(std::string_view t) {
  return std::find(std::begin(kSpaceRoleTypes), std::end(kSpaceRoleTypes), t) !=
         std::end(kSpaceRoleTypes);
}
bool has(const std::vector<std::string>& roles, std::string_view role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// relationships.user.data of a role request: a guid, or a username with an optional origin.
struct UserRef {
  std::string guid;
  std::string username;
  std::string origin = "uaa";
};
std::optional<UserRef> user_ref(const json::Value& body) {
  if (!body.HasMember("relationships") || !body["relationships"].IsObject()) return std::nullopt;
  const auto& rel = body["relationships"];
  if (!rel.HasMember("user") || !rel["user"].IsObject()) return std::nullopt;
  const auto& user = rel["user"];
  if (!user.HasMember("data") || !user["data"].IsObject()) return std::nullopt;
  const auto& d = user["data"];
  UserRef ref;
  if (d.HasMember("guid") && d["guid"].IsString()) ref.guid = d["guid"].GetString();
  if (d.HasMember("username") && d["username"].IsString()) ref.username = d["username"].GetString();
  if (d.HasMember("origin") && d["origin"].IsString() && d["origin"].GetStringLength() > 0) {
    ref.origin = d["origin"].GetString();
  }
  if (ref.guid.empty() && ref.username.empty()) return std::nullopt;
  return ref;
}

// Whether `caller` may give or take roles in the organization (org roles) or space.
asio::awaitable<Result<bool>> may_manage(ApiContext& api, const Caller& caller,
                                         std::string org_guid, std::string space_guid) {
  if (caller.admin) co_return true;
  auto org_roles = co_await api.db.org_roles_of(caller.user_guid, org_guid);
  if (!org_roles) co_return std::move(org_roles).error();
  if (has(*org_roles, "organization_manager")) co_return true;
  if (space_guid.empty()) co_return false;
  auto space_roles = co_await api.db.space_roles_of(caller.user_guid, space_guid);
  if (!space_roles) co_return std::move(space_roles).error();
  co_return has(*space_roles, "space_manager");
}

}  // namespace

void add_role_routes(http::Router& r, ApiContext& api) {
  r.get("/v3/roles", [&api](http::RequestContext& ctx) {
    ListWriter write = [&api](Caller caller, ListQuery q,
                              json::Writer& w) -> asio::awaitable<Result<std::int64_t>> {
      auto page = co_await api.db.list_roles(caller.viewer(), q);
      if (!page) co_return std::move(page).error();
      w.key("resources").start_array();
      for (const auto& role : page->resources) write_role(w, api.urls, role);
      w.end_array();
      if (q.includes.contains("user")) {
        std::vector<std::string> guids;
        for (const auto& role : page->resources) guids.push_back(role.user_guid);
        std::sort(guids.begin(), guids.end());
        guids.erase(std::unique(guids.begin(), guids.end()), guids.end());
        auto users = co_await api.users.find_by_guids(guids);
        if (!users) co_return std::move(users).error();
        w.key("included").start_object().key("users").start_array();
        for (const auto& u : *users) write_user(w, api.urls, u);
        w.end_array().end_object();
      }
      co_return page->total;
    };
    return answer_list(api, ctx, kRoleList, "/v3/roles", std::move(write));
  });

  r.get("/v3/roles/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    std::string guid(ctx.params.get("guid"));
    auto role = co_await api.db.role(std::get<Caller>(who).viewer(), guid);
    if (!role) co_return store_error(api, role.error());
    if (!*role) co_return error_response(not_found("Role"));
    json::Writer w;
    write_role(w, api.urls, **role);
    co_return respond(http::StatusCode::ok, w);
  });

  r.post("/v3/roles", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    auto body = json_object_body(ctx);
    if (auto* refusal = std::get_if<http::Response>(&body)) co_return std::move(*refusal);
    const auto& doc = std::get<json::Document>(body);
    std::string type =
        doc.HasMember("type") && doc["type"].IsString() ? doc["type"].GetString() : "";
    bool org_role = is_org_role(type);
    if (!org_role && !is_space_role(type)) {
      co_return error_response(unprocessable(
          "Type must be one of the allowed types [organization_auditor, organization_manager, "
          "organization_billing_manager, organization_user, space_auditor, space_manager, "
          "space_developer, space_supporter]"));
    }
    auto ref = user_ref(doc);
    if (!ref) co_return error_response(unprocessable("Relationships must include a user"));

    // Where the role goes: an organization, or a space (and its organization).
    Role role;
    role.type = type;
    std::string where;  // "organization 'o'" / "space 's'", for messages
    if (org_role) {
      role.organization_guid = relationship_guid(doc, "organization");
      // Cloud Foundry asks whether the organization exists, then whether the caller may
      // manage it: one it does not see is a 403, not a 422.
      Viewer everything;
      everything.admin = true;
      auto org = co_await api.db.organization(everything, role.organization_guid);
      if (!org) co_return store_error(api, org.error());
      if (!*org) {
        co_return error_response(
            unprocessable("Invalid organization. Ensure that the organization exists and you have "
                          "access to it."));
      }
      where = "organization '" + (*org)->name + "'";
    } else {
      role.space_guid = relationship_guid(doc, "space");
      Viewer everything;
      everything.admin = true;
      auto space = co_await api.db.space(everything, role.space_guid);
      if (!space) co_return store_error(api, space.error());
      if (!*space) {
        co_return error_response(unprocessable(
            "Invalid space. Ensure that the space exists and you have access to it."));
      }
      where = "space '" + (*space)->name + "'";
      auto allowed = co_await may_manage(api, caller, (*space)->organization_guid, role.space_guid);
      if (!allowed) co_return store_error(api, allowed.error());
      if (!*allowed) co_return error_response(not_authorized());
      role.organization_guid = (*space)->organization_guid;  // for the org-role check below
    }
    if (org_role) {
      auto allowed = co_await may_manage(api, caller, role.organization_guid, "");
      if (!allowed) co_return store_error(api, allowed.error());
      if (!*allowed) co_return error_response(not_authorized());
    }

    // The user, by guid or by name.
    UserIdentity user;
    if (!ref->guid.empty()) {
      std::vector<std::string> one{ref->guid};
      auto found = co_await api.users.find_by_guids(one);
      if (!found) co_return store_error(api, found.error());
      if (found->empty()) {
        // Cloud Foundry checks the organization role first, which no unknown user has.
        co_return error_response(unprocessable(
            org_role ? "Invalid user. Ensure that the user exists and you have access to it."
                     : "Users cannot be assigned roles in a space if they do not have a role in "
                       "that space's organization."));
      }
      user = found->front();
    } else {
      auto found = co_await api.users.find_by_name(ref->username, ref->origin);
      if (!found) co_return store_error(api, found.error());
      if (!*found) {
        co_return error_response(unprocessable("No user exists with the username '" +
                                               ref->username + "' and origin '" + ref->origin +
                                               "'."));
      }
      user = **found;
    }
    role.user_guid = user.guid;
    std::string shown = user.username.empty() ? user.guid : user.username;

    if (!org_role) {
      auto org_roles = co_await api.db.org_roles_of(user.guid, role.organization_guid);
      if (!org_roles) co_return store_error(api, org_roles.error());
      if (org_roles->empty()) {
        co_return error_response(
            unprocessable("Users cannot be assigned roles in a space if they do not have a role "
                          "in that space's organization."));
      }
      role.organization_guid.clear();
    }
    role.guid = api.guids.next();
    auto created = co_await api.db.create_role(role);
    if (!created) {
      if (created.error().code == make_error_code(Errc::Conflict)) {
        co_return error_response(unprocessable("User '" + shown + "' already has '" + type +
                                               "' role in " + where + "."));
      }
      co_return store_error(api, created.error());
    }
    json::Writer w;
    write_role(w, api.urls, *created);
    co_return respond(http::StatusCode::created, w);
  });

  r.del("/v3/roles/:guid", [&api](http::RequestContext& ctx) -> asio::awaitable<http::Response> {
    auto who = co_await authenticate(api, ctx);
    if (auto* refusal = std::get_if<http::Response>(&who)) co_return std::move(*refusal);
    const Caller& caller = std::get<Caller>(who);
    std::string guid(ctx.params.get("guid"));
    auto role = co_await api.db.role(caller.viewer(), guid);
    if (!role) co_return store_error(api, role.error());
    if (!*role) co_return error_response(not_found("Role"));
    std::string org_guid = (*role)->organization_guid;
    if (org_guid.empty()) {
      Viewer all{"", true, false};
      auto space = co_await api.db.space(all, (*role)->space_guid);
      if (!space) co_return store_error(api, space.error());
      if (*space) org_guid = (*space)->organization_guid;
    }
    auto allowed = co_await may_manage(api, caller, org_guid, (*role)->space_guid);
    if (!allowed) co_return store_error(api, allowed.error());
    if (!*allowed) co_return error_response(not_authorized());
    if ((*role)->type == "organization_user") {
      // A space role needs an org role: the last one cannot go while space roles remain.
      auto org_roles = co_await api.db.org_roles_of((*role)->user_guid, org_guid);
      if (!org_roles) co_return store_error(api, org_roles.error());
      ListQuery q;
      q.filters["user_guids"] = std::vector<std::string>{(*role)->user_guid};
      Viewer all{"", true, false};
      auto space_roles = co_await api.db.list_roles(all, q);
      if (!space_roles) co_return store_error(api, space_roles.error());
      std::size_t in_org_spaces = 0;
      for (const auto& sr : space_roles->resources) {
        if (sr.space_guid.empty()) continue;
        auto s = co_await api.db.space(all, sr.space_guid);
        if (s && *s && (*s)->organization_guid == org_guid) ++in_org_spaces;
      }
      if (org_roles->size() == 1 && in_org_spaces > 0) {
        co_return error_response(unprocessable(
            "Cannot delete organization_user role while user has roles in spaces of that "
            "organization."));
      }
    }
    if (auto st = co_await api.db.delete_role(guid); !st) co_return store_error(api, st.error());
    auto job = co_await completed_job(api, "role.delete", caller.user_guid);
    if (!job) co_return store_error(api, job.error());
    co_return accepted_job(api, *job);
  });
}

}  // namespace cupola::cc
