# .clusterfuzzlite/system-libs.sh — sourced by .clusterfuzzlite/build.sh and
# ci/ossfuzz-check.sh: the shared libraries every fuzzing runner has
# (glibc and the compiler's runtime), which the targets need not carry in
# $OUT/lib.
system_lib() {
  case "$1" in
    linux-vdso.so*|ld-linux*.so*|libc.so*|libm.so*|libpthread.so*|\
    libdl.so*|librt.so*|libresolv.so*|libutil.so*|libgcc_s.so*|\
    libstdc++.so*) return 0 ;;
  esac
  return 1
}
