// The one translation unit that compiles Boost.Asio, Asio's SSL support, Boost.Beast and
// Boost.URL (BOOST_*_SEPARATE_COMPILATION is defined for every target), so that each
// file including their headers compiles only declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/url/src.hpp>
