#pragma once

// The web dashboard's files (cloud_controller/dashboard/: HTML, ES modules, CSS), served as
// they are at /dashboard and below. The dashboard itself talks only to the public v3 API, the
// token endpoint and the log store, so these routes need no token.

#include <cstddef>
#include <string>

#include "common/http/router.h"

namespace cupola::cc {

// Files larger than this are not served (500): assets are small, and each is read whole.
inline constexpr std::size_t kMaxDashboardAssetBytes = 4 << 20;

// GET /dashboard and /dashboard/*: the file under `assets_dir` the path names, with its
// content type, an ETag (304 for If-None-Match) and Cache-Control: no-cache (no build step
// fingerprints the names, so the browser revalidates). A path that names no file and has no
// extension in its last segment is one of the dashboard's own pages: it gets index.html.
// Paths with "..", "." or hidden segments, backslashes, NULs, and files that resolve (through
// symlinks) outside `assets_dir` are answered 404 like missing files.
void add_dashboard_routes(http::Router& r, std::string assets_dir);

}  // namespace cupola::cc
