# bench_ui: the dispatcher workstation on a big store (first page shown, resident memory while
# scrolling 100k rows). Offscreen Qt; the card renders in QTextBrowser.
add_executable(bench_ui bench_ui.cpp)
target_link_libraries(bench_ui PRIVATE conduit_forms conduit_crm_core Threads::Threads)
target_include_directories(bench_ui PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)
