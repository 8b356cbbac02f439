include(GoogleTest)

set(LEPTOSCAN_EXTERNAL_DATA "$ENV{HOME}/.cache/leptoscan" CACHE PATH "Where scripts/setup put npm test data")
set(LEPTOSCAN_TEST_DATA ${CMAKE_BINARY_DIR}/testdata)
set(LEPTOSCAN_TEST_TMPDIR ${CMAKE_BINARY_DIR}/test-tmp/)
file(MAKE_DIRECTORY ${LEPTOSCAN_TEST_TMPDIR})

# One GoogleTest executable per module; every test case is registered with ctest.
# leptoscan_test_suite(name sources... [FIXTURE fixture] [ONE_PROCESS]): the suite's tests need that ctest
# fixture (default: testdata). One name only: gtest_discover_tests splits list-valued properties.
# ONE_PROCESS registers the whole suite as one ctest test, for suites whose cases share a costly input
# built once per process (a phantom head and its anatomy): one process builds it once, not once per case.
function(leptoscan_test_suite name)
  cmake_parse_arguments(SUITE "ONE_PROCESS" "FIXTURE" "" ${ARGN})
  if(NOT SUITE_FIXTURE)
    set(SUITE_FIXTURE testdata)
  endif()
  add_executable(${name} ${SUITE_UNPARSED_ARGUMENTS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE GTest::gtest_main GTest::gmock)
  # Compiled in (not only set in the environment) so that a suite also runs outside ctest.
  target_compile_definitions(${name} PRIVATE
    LEPTOSCAN_TEST_DATA_DIR="${LEPTOSCAN_TEST_DATA}" LEPTOSCAN_EXTERNAL_DATA_DIR="${LEPTOSCAN_EXTERNAL_DATA}")
  # Scratch files (::testing::TempDir()) in the build tree: two build trees tested at once on one machine
  # must not share the fixed names the tests give their folders.
  set(properties FIXTURES_REQUIRED ${SUITE_FIXTURE} ENVIRONMENT TEST_TMPDIR=${LEPTOSCAN_TEST_TMPDIR})
  if(SUITE_ONE_PROCESS)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES ${properties})
  else()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${properties})
  endif()
endfunction()
