#!/bin/bash -eu
# OSS-Fuzz build script for smsconform: the repository's own
# ClusterFuzzLite build script, which calls fuzz/build.sh and bundles the
# runtime libraries into $OUT/lib. Keeping the logic in the repository lets
# it change with the code, without a change to google/oss-fuzz.
exec "$SRC/smsconform/.clusterfuzzlite/build.sh"
