/* replay.c — runs a fuzz target over files without a fuzzing engine, so
 * that any compiler (gcc, with or without sanitizers) can replay a corpus
 * or a finding:
 *
 *   fuzz_replay_TARGET FILE|DIR ...
 *
 * Each regular file (a directory's in name order) is read into a buffer of
 * exactly its size and handed to LLVMFuzzerTestOneInput. A broken
 * invariant aborts, as under libFuzzer. Exit 0 when every input ran, 1
 * when there was none or one could not be read. FUZZ_REPLAY_VERBOSE=1
 * names each input on stderr before running it (for a target with state,
 * such as the simulator's, the one before a finding may be the cause). */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned long ran, bytes;
static int verbose; /* FUZZ_REPLAY_VERBOSE=1: name each input first */

static int one(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, n = 0, k;
  uint8_t *buf = malloc(cap);
  while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap) {
      uint8_t *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  int err = ferror(f);
  fclose(f);
  if (!buf || err) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return -1;
  }
  /* exactly |n| bytes, so that a read past the end is a sanitizer error */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, n);
  free(buf);
  if (verbose)
    fprintf(stderr, "%s\n", path);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  ran++;
  bytes += n;
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return one(path);
  DIR *d = opendir(path);
  if (!d) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t nn = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char **np = realloc(names, (nn + 1) * sizeof *names);
    if (!np)
      break;
    names = np;
    names[nn] = malloc(strlen(path) + strlen(e->d_name) + 2);
    if (!names[nn])
      break;
    sprintf(names[nn], "%s/%s", path, e->d_name);
    nn++;
  }
  closedir(d);
  qsort(names, nn, sizeof *names, cmp);
  int rc = 0;
  for (size_t i = 0; i < nn; i++) {
    if (walk(names[i]) != 0)
      rc = -1;
    free(names[i]);
  }
  free(names);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
    return 2;
  }
  const char *v = getenv("FUZZ_REPLAY_VERBOSE");
  verbose = v && *v && strcmp(v, "0") != 0;
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  int rc = 0;
  for (int i = 1; i < argc; i++)
    if (walk(argv[i]) != 0)
      rc = 1;
  printf("%s: %lu inputs, %lu bytes, no finding\n", argv[0], ran, bytes);
  if (ran == 0) {
    fprintf(stderr, "%s: no input found\n", argv[0]);
    rc = 1;
  }
  return rc;
}
