#pragma once

// The v3 JSON of packages, builds and droplets.

#include "cloud_controller/src/db/droplets_db.h"
#include "cloud_controller/src/handlers/api_context.h"

namespace cupola::cc {

void write_package(json::Writer& w, const Urls& urls, const Package& p);
void write_build(json::Writer& w, const Urls& urls, const Build& b);
void write_droplet(json::Writer& w, const Urls& urls, const Droplet& d);

}  // namespace cupola::cc
