# What `cmake --install` puts where (GNUInstallDirs):
#   bin/smsconform
#   lib*/libsmsconform.so.0.1.0 (SONAME libsmsconform.so.0), libsmsconform.so,
#   lib*/libsmsconform.a
#   include/smsconform/smsconform.h
#   lib*/pkgconfig/smsconform.pc, lib*/cmake/smsconform/ (find_package)
#   share/man/man1/smsconform.1
#   share/bash-completion/completions/smsconform
# Components: `runtime` (the tool and the shared library), `development`
# (header, archive, .so link, pkg-config and CMake files).
include(CMakePackageConfigHelpers)

set(SC_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/smsconform")

install(TARGETS smsconform
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)

set(_sc_libs smsconform_parse)
if(TARGET smsconform_shared)
  list(APPEND _sc_libs smsconform_shared)
endif()
install(TARGETS ${_sc_libs} EXPORT smsconformTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime
          NAMELINK_COMPONENT development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES lib/include/smsconform/smsconform.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smsconform COMPONENT development)

install(EXPORT smsconformTargets NAMESPACE smsconform::
  DESTINATION ${SC_CMAKE_DIR} COMPONENT development)
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/smsconformConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/smsconformConfig.cmake"
  INSTALL_DESTINATION ${SC_CMAKE_DIR})
write_basic_package_version_file(
  "${CMAKE_BINARY_DIR}/smsconformConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES "${CMAKE_BINARY_DIR}/smsconformConfig.cmake"
              "${CMAKE_BINARY_DIR}/smsconformConfigVersion.cmake"
  DESTINATION ${SC_CMAKE_DIR} COMPONENT development)

# smsconform.pc: paths relative to ${prefix} when they are under it, so
# `pkg-config --define-prefix` and PKG_CONFIG_SYSROOT_DIR both work.
set(SC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
foreach(_d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_d}}")
    set(SC_PC_${_d} "${CMAKE_INSTALL_${_d}}")
  else()
    set(SC_PC_${_d} "\${prefix}/${CMAKE_INSTALL_${_d}}")
  endif()
endforeach()
configure_file("${CMAKE_CURRENT_LIST_DIR}/smsconform.pc.in"
  "${CMAKE_BINARY_DIR}/smsconform.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/smsconform.pc"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT development)

install(FILES doc/smsconform.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)

# The completion script came with the getopt_long CLI; OPTIONAL keeps a
# tree without it installable (checked at install time, not configure time).
install(FILES contrib/bash-completion/smsconform OPTIONAL
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  COMPONENT runtime)
