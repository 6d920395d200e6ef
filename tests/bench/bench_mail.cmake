# bench_mail: messages/s to a local SMTP server (aiosmtpd fixture) with and without connection
# reuse, and event-to-accepted latency through the notification service (see bench_mail.cpp).
add_executable(bench_mail ${CMAKE_CURRENT_LIST_DIR}/bench_mail.cpp)
target_link_libraries(bench_mail PRIVATE conduit_crm_core refhost_mail conduit_test_support Threads::Threads)
target_include_directories(bench_mail PRIVATE ${PROJECT_SOURCE_DIR}/tests/faults)
