#pragma once

#include "bbs/src/controllers/lrp_controller.h"
#include "bbs/src/controllers/task_controller.h"
#include "common/http/router.h"

namespace cupola::bbs {

class CellController;
class EventHub;

// The BBS API (ARCHITECTURE §3): every call is a POST with a JSON body, answered with
// JSON; errors in the BBS error format. The controllers must outlive the router.
void add_lrp_routes(http::Router& router, LrpController& lrps);
// POST /v1/actual_lrps/evacuate_{claimed,running,stopped,crashed}, answering
// {"keep_container": bool}, and /v1/actual_lrps/remove_evacuating.
void add_evacuation_routes(http::Router& router, LrpController& lrps);
void add_task_routes(http::Router& router, TaskController& tasks);
void add_cell_routes(http::Router& router, CellController& cells);
// GET /v1/events: server-sent events of every change.
void add_event_routes(http::Router& router, EventHub& hub);

}  // namespace cupola::bbs
