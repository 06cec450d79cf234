#include "gorouter/http/errors.h"

#include <string>

namespace cupola::router::http {
namespace {

class ParseCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "router-http"; }
  std::string message(int code) const override {
    return std::string(reason_for(static_cast<ParseErrc>(code)));
  }
};

}  // namespace

int status_for(ParseErrc code, Side side) noexcept {
  if (code == ParseErrc::Ok) return 0;
  if (side == Side::Response) return 502;
  switch (code) {
    case ParseErrc::StartLineTooLong:
      return 414;
    case ParseErrc::HeadTooLarge:
    case ParseErrc::TooManyHeaders:
    case ParseErrc::TrailersTooLarge:
      return 431;
    case ParseErrc::UnsupportedTransferEncoding:
      return 501;
    case ParseErrc::UnsupportedVersion:
      return 505;
    default:
      return 400;
  }
}

std::string_view reason_for(ParseErrc code) noexcept {
  switch (code) {
    case ParseErrc::Ok:
      return "ok";
    case ParseErrc::BadRequestLine:
      return "malformed request line";
    case ParseErrc::BadMethod:
      return "invalid method";
    case ParseErrc::BadTarget:
      return "invalid request target";
    case ParseErrc::BadVersion:
      return "malformed HTTP version";
    case ParseErrc::UnsupportedVersion:
      return "HTTP version not supported";
    case ParseErrc::StartLineTooLong:
      return "request line too long";
    case ParseErrc::BadStatusLine:
      return "malformed status line";
    case ParseErrc::BadFieldName:
      return "invalid header name";
    case ParseErrc::WhitespaceBeforeColon:
      return "whitespace between header name and colon";
    case ParseErrc::ObsFold:
      return "folded header line";
    case ParseErrc::BadFieldValue:
      return "invalid header value";
    case ParseErrc::BareCr:
      return "CR not followed by LF";
    case ParseErrc::BareLf:
      return "LF without CR";
    case ParseErrc::NulByte:
      return "NUL byte in message head";
    case ParseErrc::HeadTooLarge:
      return "header section too large";
    case ParseErrc::TooManyHeaders:
      return "too many header fields";
    case ParseErrc::MissingHost:
      return "missing Host header";
    case ParseErrc::DuplicateHost:
      return "more than one Host header";
    case ParseErrc::BadHost:
      return "invalid Host header";
    case ParseErrc::BadContentLength:
      return "invalid Content-Length";
    case ParseErrc::ConflictingContentLength:
      return "conflicting Content-Length values";
    case ParseErrc::ContentLengthWithTransferEncoding:
      return "both Content-Length and Transfer-Encoding";
    case ParseErrc::BadTransferEncoding:
      return "invalid Transfer-Encoding";
    case ParseErrc::UnsupportedTransferEncoding:
      return "unsupported transfer coding";
    case ParseErrc::TransferEncodingInHttp10:
      return "Transfer-Encoding in an HTTP/1.0 message";
    case ParseErrc::UnexpectedBody:
      return "CONNECT request with content";
    case ParseErrc::BadChunkSize:
      return "invalid chunk size";
    case ParseErrc::ChunkSizeOverflow:
      return "chunk size too large";
    case ParseErrc::ChunkLineTooLong:
      return "chunk size line too long";
    case ParseErrc::BadChunkExtension:
      return "invalid chunk extension";
    case ParseErrc::MissingChunkCrlf:
      return "chunk data not followed by CRLF";
    case ParseErrc::TrailersTooLarge:
      return "trailer section too large";
    case ParseErrc::IncompleteBody:
      return "connection closed before the body ended";
  }
  return "unknown error";
}

const std::error_category& parse_category() noexcept {
  static const ParseCategory category;
  return category;
}

}  // namespace cupola::router::http
