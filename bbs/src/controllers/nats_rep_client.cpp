#include "bbs/src/controllers/nats_rep_client.h"

#include "common/json/json.h"

namespace cupola::bbs {

void NatsRepClient::stop_lrp_instance(const ActualLrp& lrp) {
  json::Writer w;
  w.start_object();
  w.field("process_guid", lrp.key.process_guid).field("index", lrp.key.index);
  w.field("domain", lrp.key.domain);
  w.field("instance_guid", lrp.instance_key.instance_guid);
  w.field("cell_id", lrp.instance_key.cell_id);
  w.end_object();
  auto subject = "diego.rep." + lrp.instance_key.cell_id + ".stop_lrp";
  if (auto s = nats_.publish(subject, w.view()); !s) {
    log_.error("stop-lrp-failed", s.error().message,
               {{"process_guid", lrp.key.process_guid}, {"index", lrp.key.index}});
  }
}

void NatsRepClient::cancel_task(const std::string& cell_id, const std::string& task_guid) {
  json::Writer w;
  w.start_object().field("task_guid", task_guid).end_object();
  if (auto s = nats_.publish("diego.rep." + cell_id + ".cancel_task", w.view()); !s) {
    log_.error("cancel-task-failed", s.error().message, {{"task_guid", task_guid}});
  }
}

}  // namespace cupola::bbs
