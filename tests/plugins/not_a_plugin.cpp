// A shared library that is not a Conduit plugin: it exports no SDK symbols.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int some_unrelated_function() { return 42; }
