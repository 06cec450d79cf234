#pragma once

// The auction: decide which cell starts each LRP instance and task of a batch. Pure: data in,
// data out, no I/O and no clock; the auctioneer fetches the cell states, calls schedule(),
// sends each cell its work and records the failures.

#include <vector>

#include "diego/auction/types.h"

namespace cupola::auction {

// Places every auction of `request` on `cells`, one auction at a time, each against the cell
// states as the earlier placements of the batch left them, so a batch never over-commits a
// cell. Cells reporting the same cell_id twice are a caller error.
//
// Order (as Diego's scheduler):
//  1. LRP auctions (one per index) by index ascending, then memory descending; tasks by
//     memory descending; remaining ties keep request order. Instances with index 0 are
//     placed, then all tasks, then the higher indices: every app gets its first instance
//     before any app gets a second.
//  2. A duplicate auction (same process_guid and index, or same task_guid) is dropped.
//
// Per LRP instance:
//  - Evacuating cells take no work; with no other cell every auction fails with kNoCells.
//  - With Weights::max_inflight_starts > 0 and that many containers starting (reported plus
//    placed in this batch), it fails with kInflightLimit.
//  - Only cells passing check_constraint() compete; if none does, it fails with
//    mismatch_reason() of the furthest check any cell reached.
//  - Zones are tried in ascending order of the instances of the process they hold; zones
//    with equal counts compete together. Within them the cell with the lowest lrp_score()
//    among cells with room wins; the next zones are tried only when no cell had room.
//  - With no cell with room it fails with insufficient_resources() of the problems every
//    compatible cell shares.
// Per task: the same, without the zone order, scored with task_score().
//
// Ties: the cell that comes first wins, in zone name order (within a group of zones that
// compete together), then cell_id order. Results list auctions in the order they were
// decided.
AuctionResults schedule(const AuctionRequest& request, std::vector<CellState> cells,
                        const Weights& weights);

}  // namespace cupola::auction
