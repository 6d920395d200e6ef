# One CRM area = one static library: public headers under include/conduit/crm/<area>/, sources and
# private headers under src/. An area lists the areas it uses; tools/check_dependencies.py reads
# the same lists (CONDUIT_CRM_AREA_DEPS) and fails the tests on a cycle.
function(conduit_crm_area name)
  cmake_parse_arguments(A "" "" "SOURCES;USES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  set(target conduit_crm_${name})
  add_library(${target} STATIC ${A_SOURCES})
  target_include_directories(${target} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                       PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  set(area_targets "")
  foreach(used IN LISTS A_USES)
    list(APPEND area_targets conduit_crm_${used})
  endforeach()
  target_link_libraries(${target} PUBLIC ${area_targets} ${A_PUBLIC_LIBS} PRIVATE ${A_PRIVATE_LIBS})
  set_property(GLOBAL APPEND PROPERTY CONDUIT_CRM_AREAS ${name})
  set_property(GLOBAL PROPERTY CONDUIT_CRM_AREA_USES_${name} "${A_USES}")
endfunction()
