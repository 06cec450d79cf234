#pragma once

// Admin buildpacks: the /v3/buildpacks routes, what staging detects with, and the buildpacks
// the platform ships with. Everything runs on the API's executor (file work goes to
// api.blocking); `api` must outlive the server. A buildpack's bits live in api.blobs under
// buildpack_blob_key(guid) as a gzip'd tar a cell unpacks with tar.

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "cloud_controller/src/db/buildpacks_db.h"
#include "cloud_controller/src/handlers/api_context.h"
#include "common/http/router.h"

namespace cupola::cc {

// GET/POST /v3/buildpacks, GET/PATCH/DELETE /v3/buildpacks/:guid, POST
// /v3/buildpacks/:guid/upload. Anyone signed in reads; only admins write (else 403).
void add_buildpack_routes(http::Router& r, ApiContext& api);

// "buildpacks/<guid>".
std::string buildpack_blob_key(const std::string& guid);

// The enabled, READY buildpacks of the classic lifecycle for `stack` or for any stack, in
// position order: the ones staging tries when an app names none. Errors: the database's.
boost::asio::awaitable<Result<std::vector<Buildpack>>> staging_buildpacks(ApiContext& api,
                                                                          std::string stack);

// For each directory `<dir>/<name>/` holding bin/detect, a READY buildpack "<name>_buildpack"
// with no stack, packaged from the directory as it is (modes kept), added after the last one,
// unless a buildpack of that name exists. Alphabetical by directory name, or in the order of
// the names listed one per line in <dir>/order.txt (directories it leaves out follow,
// alphabetically). A missing `dir` installs nothing. Errors: the database's, and the host's
// file system's (Errc::Internal).
boost::asio::awaitable<Status> install_bundled_buildpacks(ApiContext& api, std::string dir);

}  // namespace cupola::cc
