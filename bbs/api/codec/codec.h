#pragma once

#include <string>

#include "bbs/api/models/actual_lrp.h"
#include "bbs/api/models/cell.h"
#include "bbs/api/models/desired_lrp.h"
#include "bbs/api/models/start_requests.h"
#include "bbs/api/models/task.h"
#include "common/json/json.h"

namespace cupola::bbs {

// JSON for the BBS models, with Diego's field names; keys (ActualLrpKey, instance and net
// info, a task's definition) are flattened into their record. `write` emits one complete
// object; `read` fills a record from an object and records every problem in the reader
// (missing or mistyped fields, unknown enum values). Actions and routes are kept as
// compact JSON text and must be objects.

void write(json::Writer& w, const ModificationTag& tag);
void write(json::Writer& w, const ActualLrpKey& key);
void write(json::Writer& w, const ActualLrpInstanceKey& key);
void write(json::Writer& w, const ActualLrpNetInfo& net);
void write(json::Writer& w, const ActualLrp& lrp);
void write(json::Writer& w, const DesiredLrp& lrp);
void write(json::Writer& w, const DesiredLrpUpdate& update);
void write(json::Writer& w, const Task& task);
void write(json::Writer& w, const TaskDefinition& def);
void write(json::Writer& w, const CellPresence& cell);
void write(json::Writer& w, const LrpStartRequest& request);
void write(json::Writer& w, const TaskStartRequest& request);

void read(json::ObjectReader& r, ModificationTag& tag);
void read(json::ObjectReader& r, ActualLrpKey& key);
void read(json::ObjectReader& r, ActualLrpInstanceKey& key);
void read(json::ObjectReader& r, ActualLrpNetInfo& net);
void read(json::ObjectReader& r, ActualLrp& lrp);
void read(json::ObjectReader& r, DesiredLrp& lrp);
void read(json::ObjectReader& r, DesiredLrpUpdate& update);
void read(json::ObjectReader& r, Task& task);
void read(json::ObjectReader& r, TaskDefinition& def);
void read(json::ObjectReader& r, CellPresence& cell);
// Start requests also reject an empty guid and negative numbers, naming the field.
void read(json::ObjectReader& r, LrpStartRequest& request);
void read(json::ObjectReader& r, TaskStartRequest& request);

template <class T>
std::string to_json(const T& value) {
  json::Writer w;
  write(w, value);
  return w.str();
}

// Parses one record; the error lists every problem.
template <class T>
Result<T> from_json(std::string_view text, std::string_view what) {
  auto doc = json::parse(text);
  if (!doc) return std::move(doc).error();
  json::ObjectReader r(*doc);
  T value{};
  read(r, value);
  if (auto s = r.status(what); !s) return std::move(s).error();
  return value;
}

}  // namespace cupola::bbs
