// Asio's TLS layer compiled once for the program (BOOST_ASIO_SEPARATE_COMPILATION), like
// server/beast_compile.cpp does for the rest of Asio and Beast.
#include <boost/asio/ssl/impl/src.hpp>
