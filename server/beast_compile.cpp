// Beast and Asio compiled once for the whole program (BOOST_*_SEPARATE_COMPILATION), instead
// of in every translation unit that includes them.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
