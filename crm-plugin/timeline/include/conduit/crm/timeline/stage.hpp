// Production stages of a project as people name them: the host's stage codes in ru, pl and en.
// Unknown codes (a host with stages of its own) are shown as they are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace conduit::crm {

std::string stageName(std::string_view code, std::string_view locale);
// The codes the suite names ("measurement", "production", "delivery", "installation").
const std::vector<std::string>& builtinStages();

}  // namespace conduit::crm
