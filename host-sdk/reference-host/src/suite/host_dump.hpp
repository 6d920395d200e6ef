// A canonical text dump of every HOST_ table, ordered by key: two databases hold the same host
// data exactly when their dumps are equal (the simulator's determinism and resumption tests).
#pragma once

#include "host_database.hpp"

#include <string>

namespace refhost {

std::string dumpHostData(HostDatabase& db);

}  // namespace refhost
