# voxgate_module(<name> [NO_UNITY] [DEPS <module>...] [EXTERNAL <target>...] [PCH <header>...])
#
# Sources are the .cpp files of the directory and of its detail/ folder
# (private to the module: no other module may include from it).
#
# Declares the library target voxgate_<name> from the .cpp files of the
# current directory. <name> is the directory path below src/ with '/'
# replaced by '_' (src/sip/message -> sip_message). DEPS lists the voxgate
# modules this one may include and link; EXTERNAL lists third-party targets.
#
# main.cpp is left out of the library (src/app builds the executable from it).
# Files named *_test.cpp become the test executable voxgate_<name>_test
# (GoogleTest, registered with CTest); *_bench.cpp become the benchmark
# executable voxgate_<name>_bench (Google Benchmark).
#
# Compile time is most of CI's time, so headers that cost seconds per file
# are precompiled: PCH lists the heavy third-party headers of a module's
# sources (Boost.Asio, Beast), and every test target reuses one precompiled
# GoogleTest/GoogleMock (voxgate_test_pch, cmake/test_pch.hpp) unless it has
# a PCH of its own (then gmock plus the module's headers).
#
# NO_UNITY compiles the library's files one by one even in a unity build
# (VOXGATE_UNITY, ADR 0007): GCC's inlining budget is per translation unit,
# so in a batch a hot path can be inlined less than it was when measured.
function(voxgate_module name)
  cmake_parse_arguments(M "NO_UNITY" "" "DEPS;EXTERNAL;PCH" ${ARGN})
  file(GLOB all_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp
       ${CMAKE_CURRENT_SOURCE_DIR}/detail/*.cpp)
  set(sources ${all_sources})
  list(FILTER sources EXCLUDE REGEX "(_test|_bench|/main)\\.cpp$")
  set(tests ${all_sources})
  list(FILTER tests INCLUDE REGEX "_test\\.cpp$")
  set(benches ${all_sources})
  list(FILTER benches INCLUDE REGEX "_bench\\.cpp$")

  set(target voxgate_${name})
  set(deps)
  foreach(dep IN LISTS M_DEPS)
    list(APPEND deps voxgate_${dep})
  endforeach()

  if(sources)
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} PUBLIC ${deps} ${M_EXTERNAL})
    if(M_PCH)
      target_precompile_headers(${target} PRIVATE ${M_PCH})
    endif()
    if(M_NO_UNITY)
      set_target_properties(${target} PROPERTIES UNITY_BUILD OFF)
    endif()
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target} INTERFACE ${deps} ${M_EXTERNAL})
  endif()
  set_property(GLOBAL APPEND PROPERTY VOXGATE_MODULES ${name})

  if(VOXGATE_TESTS AND tests)
    add_executable(${target}_test ${tests})
    target_link_libraries(${target}_test PRIVATE ${target} voxgate_test_support GTest::gmock GTest::gtest_main)
    # Test bodies are not optimised (about 40 % off their compile time,
    # which dominates CI); the code under test is the library, built as the
    # build type says.
    target_compile_options(${target}_test PRIVATE -O0)
    if(M_PCH)
      target_precompile_headers(${target}_test PRIVATE ${PROJECT_SOURCE_DIR}/cmake/test_pch.hpp ${M_PCH})
    else()
      target_precompile_headers(${target}_test REUSE_FROM voxgate_test_pch)
    endif()
    gtest_discover_tests(${target}_test DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
  endif()
  if(VOXGATE_BENCH AND benches)
    add_executable(${target}_bench ${benches})
    target_link_libraries(${target}_bench PRIVATE ${target} benchmark::benchmark_main)
    set_property(GLOBAL APPEND PROPERTY VOXGATE_BENCHES ${target}_bench)
  endif()
endfunction()
