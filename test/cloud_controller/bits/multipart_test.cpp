#include "cloud_controller/src/bits/multipart.h"

#include <catch2/catch.hpp>

using namespace cupola;
using namespace cupola::cc::bits;

namespace {

const std::string kBinary("PK\x03\x04\r\n--not-the-boundary\r\n\0\xff", 30);

std::string upload_body(const std::string& boundary) {
  return "This preamble is ignored.\r\n"
         "--" +
         boundary +
         "\r\n"
         "Content-Disposition: form-data; name=\"resources\"\r\n"
         "\r\n"
         "[{\"fn\":\"app.rb\"}]\r\n"
         "--" +
         boundary +
         "\r\n"
         "content-disposition: form-data; name=bits; filename=\"app \\\"1\\\".zip\"\r\n"
         "Content-Type: application/zip\r\n"
         "X-Ignored: yes\r\n"
         "\r\n" +
         kBinary +
         "\r\n"
         "--" +
         boundary +
         "--\r\n"
         "and an epilogue\r\n";
}

void require_malformed(const Result<std::vector<Part>>& r, Errc code, const std::string& text) {
  REQUIRE_FALSE(r);
  CHECK(r.error().code == code);
  CHECK_THAT(r.error().message, Catch::Contains(text));
}

}  // namespace

TEST_CASE("A package upload splits into its field and file parts", "[bits][multipart]") {
  std::string body = upload_body("----CupolaBoundary7MA4YWxk");
  auto parts = parse_multipart(body, "multipart/form-data; boundary=----CupolaBoundary7MA4YWxk");
  REQUIRE(parts);
  REQUIRE(parts->size() == 2);

  const auto& resources = (*parts)[0];
  CHECK(resources.name == "resources");
  CHECK_FALSE(resources.filename);
  CHECK(resources.content_type == "text/plain");
  CHECK(resources.data == R"([{"fn":"app.rb"}])");

  const auto& bits = (*parts)[1];
  CHECK(bits.name == "bits");
  REQUIRE(bits.filename);
  CHECK(*bits.filename == "app \"1\".zip");
  CHECK(bits.content_type == "application/zip");
  CHECK(bits.data == kBinary);
  SECTION("parts view the body instead of copying it") {
    CHECK(bits.data.data() >= body.data());
    CHECK(bits.data.data() + bits.data.size() <= body.data() + body.size());
  }
}

TEST_CASE("The boundary may be quoted and the header in any case", "[bits][multipart]") {
  std::string body = upload_body("a b:c'()+_,-./=?");
  auto parts =
      parse_multipart(body, "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c'()+_,-./=?\"");
  REQUIRE(parts);
  CHECK(parts->size() == 2);
  CHECK((*parts)[1].data == kBinary);

  SECTION("a body that starts with its first delimiter has no preamble") {
    auto p = parse_multipart("--b\r\nContent-Disposition: form-data; name=x\r\n\r\n\r\n--b--",
                             "multipart/form-data; boundary=b");
    REQUIRE(p);
    REQUIRE(p->size() == 1);
    CHECK((*p)[0].data.empty());
  }
  SECTION("a body with only the close delimiter has no parts") {
    auto p = parse_multipart("--b--\r\n", "multipart/form-data; boundary=b");
    REQUIRE(p);
    CHECK(p->empty());
  }
}

TEST_CASE("Malformed multipart bodies are refused", "[bits][multipart]") {
  const std::string type = "multipart/form-data; boundary=b";
  const std::string good = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nvalue\r\n--b--";

  SECTION("a Content-Type without a boundary, or not multipart/form-data") {
    require_malformed(parse_multipart(good, "multipart/form-data"), Errc::InvalidArgument,
                      "has no boundary");
    require_malformed(parse_multipart(good, "multipart/form-data; boundary=\"\""),
                      Errc::InvalidArgument, "has no boundary");
    require_malformed(parse_multipart(good, "application/json; boundary=b"), Errc::InvalidArgument,
                      "not multipart/form-data");
    require_malformed(parse_multipart(good, "multipart/form-data; boundary=\"b"),
                      Errc::InvalidArgument, "not multipart/form-data");
    require_malformed(
        parse_multipart(good, "multipart/form-data; boundary=" + std::string(71, 'b')),
        Errc::InvalidArgument, "1 to 70 characters");
  }
  SECTION("a body cut short") {
    for (std::size_t cut : {good.size() - 5, good.size() - 8, std::size_t{20}, std::size_t{4}}) {
      INFO(good.substr(0, cut));
      require_malformed(parse_multipart(good.substr(0, cut), type), Errc::InvalidArgument,
                        "ends before its closing boundary");
    }
    require_malformed(parse_multipart("no delimiter at all", type), Errc::InvalidArgument,
                      "has no boundary delimiter");
  }
  SECTION("a part without a name, or not form-data") {
    require_malformed(
        parse_multipart("--b\r\nContent-Disposition: form-data\r\n\r\nv\r\n--b--", type),
        Errc::InvalidArgument, "part 1 has no name");
    require_malformed(
        parse_multipart("--b\r\nContent-Disposition: attachment; name=x\r\n\r\nv\r\n--b--", type),
        Errc::InvalidArgument, "part 1 is not form-data");
    require_malformed(parse_multipart("--b\r\n\r\nv\r\n--b--", type), Errc::InvalidArgument,
                      "part 1 is not form-data");
    require_malformed(parse_multipart(good.substr(0, good.size() - 4) +
                                          "\r\n--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--",
                                      type),
                      Errc::InvalidArgument, "part 2 is not form-data");
  }
  SECTION("malformed header lines") {
    require_malformed(
        parse_multipart("--b\r\nContent-Disposition form-data; name=x\r\n\r\nv\r\n--b--", type),
        Errc::InvalidArgument, "malformed header line");
    require_malformed(parse_multipart("--b\r\nContent-Disposition: form-data;\r\n name=x\r\n\r\n"
                                      "v\r\n--b--",
                                      type),
                      Errc::InvalidArgument, "malformed header line");
    require_malformed(
        parse_multipart("--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nv\r\n--b--", type),
        Errc::InvalidArgument, "malformed Content-Disposition");
    require_malformed(parse_multipart("--bb\r\nContent-Disposition: form-data; name=x\r\n\r\n"
                                      "v\r\n--b--",
                                      type),
                      Errc::InvalidArgument, "not followed by a line break");
  }
  SECTION("limits on parts and header bytes") {
    std::string three;
    for (int i = 0; i < 3; ++i)
      three += "--b\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n";
    three += "--b--";
    REQUIRE(parse_multipart(three, type, MultipartLimits{.max_parts = 3}));
    require_malformed(parse_multipart(three, type, MultipartLimits{.max_parts = 2}),
                      Errc::LimitExceeded, "more than 2 parts");
    require_malformed(parse_multipart(good, type, MultipartLimits{.max_header_bytes = 20}),
                      Errc::LimitExceeded, "more than 20 bytes of headers");
    CHECK(MultipartLimits{}.max_parts == 16);
    CHECK(MultipartLimits{}.max_header_bytes == 8192);
  }
}
