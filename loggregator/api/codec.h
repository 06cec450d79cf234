#pragma once

// Loggregator v2 envelopes as JSON, the protobuf JSON mapping log-cache's gateway writes:
//
//   {"batch":[{"timestamp":"1700000000000000000","source_id":"<guid>","instance_id":"0",
//              "tags":{"source_type":"APP/PROC/WEB"},
//              "log":{"payload":"<base64>","type":"OUT"}}]}
//
// Field names are the proto's (source_id, instance_id, not camelCase). The same shape travels
// on NATS (logs.<source_id>), where int64 fields are JSON numbers.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/json/json.h"
#include "loggregator/api/envelope.h"

namespace cupola::loggregator {

// How 64-bit integers (timestamp, delta, total, start, stop) are written.
enum class IntegerForm {
  Number,  // 1700000000000000000: the NATS wire, as the router publishes
  String,  // "1700000000000000000": log-cache's read API (grpc-gateway output)
};

struct EncodeOptions {
  IntegerForm integers = IntegerForm::Number;
};

// Bounds on what decoding accepts, so a faulty producer cannot make a reader hold
// unbounded data.
struct CodecLimits {
  std::size_t max_batch_bytes = 1 << 20;      // NATS's default max_payload
  std::size_t max_envelopes = 10'000;         // per batch
  std::size_t max_payload_bytes = 64 * 1024;  // one log payload, decoded
};

// One envelope as a JSON object. Every field is written (instance_id "" and tags {} too), as
// log-cache's gateway does; a log's type as "OUT" or "ERR". Gauge values that JSON cannot
// hold (NaN, ±infinity) are written as the strings "NaN", "Infinity", "-Infinity".
void write_envelope(json::Writer& w, const Envelope& e, const EncodeOptions& options = {});
std::string encode_envelope(const Envelope& e, const EncodeOptions& options = {});

// {"batch":[...]}
std::string encode_batch(std::span<const Envelope> batch, const EncodeOptions& options = {});
std::string encode_batch(std::span<const std::shared_ptr<const Envelope>> batch,
                         const EncodeOptions& options = {});
// {"envelopes":{"batch":[...]}}: the body of log-cache's GET /api/v1/read/<source_id>. The
// read API writes integers as strings.
std::string encode_read_response(std::span<const std::shared_ptr<const Envelope>> batch,
                                 const EncodeOptions& options = {IntegerForm::String});

// One {"batch":[...]} document and how many envelopes it holds.
struct BatchDocument {
  std::string json;
  std::size_t envelopes = 0;
};

// Splits `batch` into {"batch":[...]} documents of at most `max_bytes` each, in order.
// An envelope that does not fit in `max_bytes` on its own is left out and counted in
// `too_large`.
std::vector<BatchDocument> encode_batches(std::span<const Envelope> batch, std::size_t max_bytes,
                                          const EncodeOptions& options, std::size_t& too_large);

// A cheap estimate of an envelope's encoded size, for deciding when a batch is full; the
// encoder's own split (encode_batches) enforces the hard limit.
std::size_t estimate_encoded_size(const Envelope& e);

// Decodes {"batch":[...]}. Integers are accepted as JSON numbers and as decimal strings; a
// log's type as "OUT"/"ERR" or 0/1; payloads as base64 with or without padding; unknown
// fields (deprecated_tags, say) are ignored. Errors: LimitExceeded when the text is larger
// than max_batch_bytes or holds more than max_envelopes; otherwise InvalidArgument listing
// the problems, each naming its field ("batch[3].log.payload: is not base64"): invalid JSON,
// a wrong type, a missing source_id, none or several of log/counter/gauge/timer/event, an
// unknown log type, a payload above max_payload_bytes.
Result<std::vector<Envelope>> decode_batch(std::string_view json, const CodecLimits& limits = {});
// Decodes {"envelopes":{"batch":[...]}} (a read API response), as decode_batch.
Result<std::vector<Envelope>> decode_read_response(std::string_view json,
                                                   const CodecLimits& limits = {});

}  // namespace cupola::loggregator
