# csr::ssl, csr::crypto, csr::sqlite3, csr::cares, csr::psl: what crypto/, storage/, api/ and
# server/ link instead of the packages' own targets. Each is the shared library, except in an
# executable with the CSR_STATIC_DEPS property (csr_link_statically below): there it is the
# Debian package's static archive, when CSR_EMULATOR_STATIC_DEPS is on and the archive exists.

# A static archive as an imported target; ARGN: what it needs in turn (linked after it).
function(csr_archive name)
  find_library(CSR_ARCHIVE_${name} NAMES lib${name}.a)
  if(CSR_ARCHIVE_${name})
    add_library(csr_archive_${name} STATIC IMPORTED)
    set_target_properties(csr_archive_${name} PROPERTIES IMPORTED_LOCATION "${CSR_ARCHIVE_${name}}"
                                                         INTERFACE_LINK_LIBRARIES "${ARGN}")
  endif()
endfunction()

# csr::NAME: SHARED for most targets; for CSR_STATIC_DEPS ones the archive ARCHIVE, when it and
# every archive it needs in turn (ARGN) were found.
function(csr_dependency name shared archive)
  add_library(csr::${name} INTERFACE IMPORTED)
  set(archives_found TRUE)
  foreach(needed IN ITEMS ${archive} ${ARGN})
    if(NOT TARGET ${needed})
      set(archives_found FALSE)
    endif()
  endforeach()
  if(CSR_EMULATOR_STATIC_DEPS AND archives_found)
    set(static "$<BOOL:$<TARGET_PROPERTY:CSR_STATIC_DEPS>>")
    set(links "$<${static}:${archive}>" "$<$<NOT:${static}>:${shared}>")
    message(STATUS "csr-emulator links ${name} statically")
  else()
    set(links ${shared})
    if(CSR_EMULATOR_STATIC_DEPS)
      message(STATUS "csr-emulator links ${name} as a shared library (a static archive is missing)")
    endif()
  endif()
  set_target_properties(csr::${name} PROPERTIES INTERFACE_LINK_LIBRARIES "${links}")
endfunction()

if(CSR_EMULATOR_STATIC_DEPS)
  csr_archive(crypto Threads::Threads ${CMAKE_DL_LIBS})
  csr_archive(ssl csr_archive_crypto)
  csr_archive(sqlite3 m Threads::Threads ${CMAKE_DL_LIBS})
  csr_archive(cares)
  csr_archive(unistring)
  csr_archive(idn2 csr_archive_unistring)
  csr_archive(psl csr_archive_idn2 csr_archive_unistring)
endif()
csr_dependency(crypto OpenSSL::Crypto csr_archive_crypto csr_archive_ssl)  # never one OpenSSL library of each kind
csr_dependency(ssl OpenSSL::SSL csr_archive_ssl csr_archive_crypto)
csr_dependency(sqlite3 SQLite::SQLite3 csr_archive_sqlite3)
csr_dependency(cares PkgConfig::CARES csr_archive_cares)
csr_dependency(psl PkgConfig::PSL csr_archive_psl csr_archive_idn2 csr_archive_unistring)

# The executable TARGET takes the static archives above, libstdc++ and libgcc statically, and no
# PIE (an executable at a fixed address needs no relocations of OpenSSL's and SQLite's tables).
function(csr_link_statically target)
  if(CSR_EMULATOR_STATIC_DEPS)
    set_target_properties(${target} PROPERTIES CSR_STATIC_DEPS ON)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -no-pie)
  endif()
endfunction()
