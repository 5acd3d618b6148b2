/* test_cli.c — src/cli/: the smsconform binary as a user runs it: exit
 * codes, help that teaches, clear usage errors, machine-readable output. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SC_BINARY
#define SC_BINARY "build/smsconform"
#endif

/* Runs `smsconform ARGS` with |input| on stdin; returns the exit code and
 * the combined output in a malloc'd *out. */
static int run(const char *args, const char *input, char **out) {
  char cmd[4096];
  char in_path[] = "/tmp/sc_cli_inXXXXXX";
  int fd = mkstemp(in_path);
  cr_assert_geq(fd, 0);
  FILE *f = fdopen(fd, "wb");
  if (input)
    fwrite(input, 1, strlen(input), f);
  fclose(f);
  snprintf(cmd, sizeof(cmd), "%s %s < %s 2>&1", SC_BINARY, args, in_path);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t cap = 1 << 16, len = 0, n;
  char *buf = malloc(cap);
  while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
    len += n;
    if (len + 1 == cap)
      buf = realloc(buf, cap *= 2);
  }
  buf[len] = '\0';
  int st = pclose(p);
  remove(in_path);
  *out = buf;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(cli, help_and_version) {
  char *out;
  cr_expect_eq(run("--help", NULL, &out), 0);
  cr_expect(strstr(out, "Usage: smsconform") && strstr(out, "Examples:"),
            "%s", out);
  free(out);
  cr_expect_eq(run("--version", NULL, &out), 0);
  cr_expect(strncmp(out, "smsconform ", 11) == 0, "%s", out);
  free(out);
  cr_expect_eq(run("parse --help", NULL, &out), 0);
  cr_expect(strstr(out, "--action NAME") != NULL, "%s", out);
  free(out);
}

Test(cli, usage_errors_exit_2_with_a_message) {
  static const char *const bad[][2] = {
      {"", "Usage"},
      {"frobnicate", "unknown command 'frobnicate'"},
      {"--nope", "unknown option --nope"},
      {"parse", "--action NAME is required"},
      {"parse --action nope", "no action 'nope'"},
      {"parse --action getBalance --profile nope", "no profile 'nope'"},
      {"parse --action getRentNumber --profile smsbulk",
       "does not offer action 'getRentNumber'"},
      {"parse --action getBalance --status abc", "--status takes"},
      {"parse --action getBalance /nonexistent/file", "cannot open"},
      {"list", "say what to list"},
      {"list things", "cannot list 'things'"},
      {"parse --action", "option --action needs a value"},
      {"list checks --profile nope", "no profile 'nope'"},
      {"run --update-baseline", "--update-baseline needs --baseline FILE"},
      {"run --baseline /nonexistent/b.json --only format.getBalance",
       "cannot read /nonexistent/b.json"},
      {"run --replay /nonexistent", "cannot read /nonexistent/recording"},
      {"run --replay /tmp --url http://127.0.0.1:1/", "--replay takes its"},
      {"run --seed abc", "--seed takes a number above 0"},
      {"run --seed 0", "--seed takes a number above 0"},
      {"run --profile " SC_TESTDATA_DIR "/lint/ok_user_profile.json",
       "no simulator for profile 'my-vendor'"},
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char *out;
    cr_expect_eq(run(bad[i][0], "", &out), 2, "`%s` -> %s", bad[i][0], out);
    cr_expect(strstr(out, bad[i][1]) != NULL, "`%s`: expected \"%s\" in %s",
              bad[i][0], bad[i][1], out);
    free(out);
  }
}

Test(cli, parse_exit_code_follows_the_verdict) {
  char *out;
  cr_expect_eq(run("parse --action getStatus", "STATUS_OK:12:34", &out), 0);
  cJSON *j = cJSON_Parse(out);
  cr_assert_not_null(j, "not JSON: %s", out);
  cr_expect_str_eq(cJSON_GetObjectItem(j, "verdict")->valuestring, "PASS");
  cr_expect_str_eq(cJSON_GetObjectItem(j, "token")->valuestring, "STATUS_OK");
  cr_expect_str_eq(
      cJSON_GetObjectItem(cJSON_GetObjectItem(j, "fields"), "code")->valuestring,
      "12:34");
  cJSON_Delete(j);
  free(out);
  /* WARN still exits 0 */
  cr_expect_eq(run("parse --action getBalance", "BAD_KEY\n", &out), 0, "%s",
               out);
  cr_expect(strstr(out, "\"WARN\"") != NULL, "%s", out);
  free(out);
  /* an HTML page is a FAIL: exit 1, valid JSON, the markup escaped */
  cr_expect_eq(run("parse --action getBalance --status 500 -",
                   "<html>\"oops\"</html>", &out),
               1);
  j = cJSON_Parse(out);
  cr_assert_not_null(j, "not JSON: %s", out);
  cr_expect_str_eq(cJSON_GetObjectItem(j, "kind")->valuestring,
                   "not_protocol");
  cJSON_Delete(j);
  free(out);
}

Test(cli, lint_passes_and_reports_a_users_broken_file) {
  char *out;
  cr_expect_eq(run("lint", NULL, &out), 0, "%s", out);
  cr_expect(strstr(out, "lint: OK") != NULL, "%s", out);
  free(out);
  cr_expect_eq(run("lint " SC_TESTDATA_DIR "/lint/fail_unknown_key.json", NULL,
                   &out),
               1);
  cr_expect(strstr(out, "$.colour: unknown key") != NULL, "%s", out);
  free(out);
  cr_expect_eq(run("--specs " SC_SOURCE_DIR "/specs lint", NULL, &out), 0,
               "%s", out);
  free(out);
}

/* list --json is the whole entry plus derived fields, every entry cited */
Test(cli, list_json_covers_tokens_and_actions_with_citations) {
  static const char *const what[] = {"list tokens --json",
                                     "list actions --json",
                                     "list profiles --json"};
  for (size_t k = 0; k < 3; k++) {
    char *out;
    cr_assert_eq(run(what[k], NULL, &out), 0);
    cJSON *j = cJSON_Parse(out);
    cr_assert(cJSON_IsArray(j), "%s: not a JSON array", what[k]);
    cr_expect_gt(cJSON_GetArraySize(j), 4);
    const cJSON *e;
    cJSON_ArrayForEach(e, j) {
      cr_expect_gt(cJSON_GetArraySize(cJSON_GetObjectItem(e, "sources")), 0,
                   "%s: %s has no sources", what[k],
                   cJSON_GetObjectItem(e, "name")->valuestring);
      if (k == 0)
        cr_expect(cJSON_IsArray(cJSON_GetObjectItem(e, "answered_by")));
      if (k == 1)
        cr_expect(cJSON_IsArray(cJSON_GetObjectItem(e, "profiles")));
    }
    cJSON_Delete(j);
    free(out);
  }
}

/* `list checks --json`: every planned check with a unique stable id, its
 * tier, needs and a citation. */
Test(cli, list_checks_json) {
  char *out;
  cr_assert_eq(run("list checks --json --profile sms-activate", NULL, &out), 0,
               "%s", out);
  cJSON *j = cJSON_Parse(out);
  cr_assert_not_null(j, "%.200s", out);
  const cJSON *checks = cJSON_GetObjectItemCaseSensitive(j, "checks"), *c;
  cr_expect_gt(cJSON_GetArraySize(checks), 50);
  size_t n = 0, smoke = 0;
  cJSON_ArrayForEach(c, checks) {
    const char *id = cJSON_GetObjectItemCaseSensitive(c, "id")->valuestring;
    const cJSON *d;
    cJSON_ArrayForEach(d, checks) if (d != c) cr_expect_str_neq(
        cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, id);
    cr_expect(*cJSON_GetObjectItemCaseSensitive(c, "doc")->valuestring, "%s",
              id);
    cr_expect(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(c, "needs")));
    smoke += strcmp(cJSON_GetObjectItemCaseSensitive(c, "tier")->valuestring,
                    "smoke") == 0;
    n++;
  }
  cr_expect(smoke > 0 && smoke < n, "%zu of %zu in the smoke tier", smoke, n);
  cJSON_Delete(j);
  free(out);
}

/* --profile FILE: a user's own profile is loaded with the spec and planned
 * from (here listed; a run needs --url). */
Test(cli, run_takes_a_profile_file) {
  char *out;
  cr_expect_eq(run("run --list --profile " SC_TESTDATA_DIR
                   "/lint/ok_user_profile.json",
                   NULL, &out),
               0, "%s", out);
  cr_expect(strstr(out, "checks for profile my-vendor") != NULL, "%s", out);
  cr_expect(strstr(out, "format.getBalance") != NULL, "%s", out);
  /* the simulator speaks no profile that extends none: nothing measured */
  cr_expect(strstr(out, "not measured: no simulator for profile") != NULL,
            "%s", out);
  free(out);
  /* what each tier costs, measured against the simulator */
  cr_expect_eq(run("run --list --price 0.5", NULL, &out), 0, "%s", out);
  const char *smoke = strstr(out, "\n  smoke  no ");
  cr_assert_not_null(smoke, "%s", out);
  size_t req = 0, buys = 0;
  cr_expect_eq(sscanf(smoke, "\n  smoke  no %zu %zu", &req, &buys), 2);
  cr_expect(req > 0 && req <= 60, "smoke tier: %zu requests", req);
  cr_expect(buys <= 2, "smoke tier: %zu purchases", buys);
  cr_expect(strstr(out, "  full   yes ") != NULL, "%s", out);
  free(out);
}

#define SC_LINT_DATA SC_TESTDATA_DIR "/lint/"
#define SC_DIALECT SC_SOURCE_DIR "/examples/dialect/problem-details.json"

/* --profile FILE alike in every command: the file's profile is the one
 * used, its tokens and actions with it. */
Test(cli, every_command_takes_a_profile_file) {
  static const char *const ok[][2] = {
      {"list checks --profile " SC_LINT_DATA "ok_user_profile.json",
       "format.getBalance"},
      {"list checks --json --profile " SC_LINT_DATA "ok_user_profile.json",
       "\"profile\":\t\"my-vendor\""},
      {"list actions --profile " SC_LINT_DATA "ok_user_profile.json",
       "my-vendor"},
      {"list profiles --profile " SC_DIALECT, "acme "},
      {"list tokens --profile " SC_DIALECT, "NOT_FOUND "},
      {"parse --action getBalance --profile " SC_LINT_DATA
       "ok_user_profile.json",
       "\"profile\": \"my-vendor\""},
      {"lint --profile " SC_DIALECT, "lint: OK"},
      {"lint --profile " SC_DIALECT " " SC_DIALECT, "lint: OK"},
      {"run --list --profile=" SC_DIALECT, "checks for profile acme"},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    char *out;
    cr_expect_eq(run(ok[i][0], "ACCESS_BALANCE:1.00", &out), 0, "`%s` -> %s",
                 ok[i][0], out);
    cr_expect(strstr(out, ok[i][1]) != NULL, "`%s`: expected \"%s\" in %s",
              ok[i][0], ok[i][1], out);
    free(out);
  }
}

/* A profile file with a problem is refused whole by every command: each
 * problem as `FILE: $.path: message`, exit 2, nothing run or served. */
Test(cli, every_command_refuses_a_broken_profile_file) {
  static const char *const cmds[] = {
      "list checks", "list actions", "list faults", "lint",
      "parse --action getBalance", "serve --port 0", "compare none.json",
      "run --list", "run --url http://127.0.0.1:1/"};
  static const char *const files[][2] = {
      {"fail_errors_form.json", "fail_errors_form.json: $.errors.form: "},
      {"fail_unknown_key.json", "fail_unknown_key.json: $.colour: "},
      {"fail_plays_undefined.json", "fail_plays_undefined.json: $.tokens"},
  };
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
      char args[1024], *out;
      snprintf(args, sizeof args, "%s --profile %s%s", cmds[i], SC_LINT_DATA,
               files[k][0]);
      cr_expect_eq(run(args, "", &out), 2, "`%s` -> %s", args, out);
      cr_expect(strstr(out, files[k][1]) != NULL,
                "`%s`: expected \"%s\" in %s", args, files[k][1], out);
      cr_expect(strstr(out, "nothing of it is loaded") != NULL, "`%s`: %s",
                args, out);
      cr_expect(strstr(out, "handler:") == NULL, "`%s` served: %s", args, out);
      free(out);
    }
  /* a profile name no file defines */
  char *out;
  cr_expect_eq(run("lint --profile nope", "", &out), 2, "%s", out);
  cr_expect(strstr(out, "no profile 'nope'") != NULL, "%s", out);
  free(out);
}

/* A file may extend a file given before it (the last --profile is used);
 * files that extend each other in a cycle are refused together. */
Test(cli, a_profile_file_extends_another) {
  char dir[] = "/tmp/sc_cli_profXXXXXX", path[64];
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/acme-2.json", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("{\"version\": 1, \"name\": \"acme-2\", \"extends\": \"acme\",\n"
        " \"sources\": [{\"doc\": \"001_ac8db1c65ff3c54b.txt\",\n"
        "              \"section\": \"Activation API\"}],\n"
        " \"timing\": {\"early_cancel_seconds\": 30}}\n",
        f);
  fclose(f);
  char args[2048], *out;
  snprintf(args, sizeof args, "run --list --profile %s --profile %s",
           SC_DIALECT, path);
  cr_expect_eq(run(args, NULL, &out), 0, "%s", out);
  cr_expect(strstr(out, "checks for profile acme-2") != NULL, "%s", out);
  free(out);
  /* alone, what it extends is unknown */
  snprintf(args, sizeof args, "list checks --profile %s", path);
  cr_expect_eq(run(args, NULL, &out), 2, "%s", out);
  cr_expect(strstr(out, ": $.extends: ") != NULL, "%s", out);
  free(out);
  remove(path);
  rmdir(dir);
  cr_expect_eq(run("list checks --profile " SC_LINT_DATA
                   "fail_extends_cycle_a.json --profile " SC_LINT_DATA
                   "fail_extends_cycle_b.json",
                   NULL, &out),
               2, "%s", out);
  cr_expect(strstr(out, "fail_extends_cycle_a.json: $.extends: a cycle") &&
                strstr(out, "fail_extends_cycle_b.json: $.extends: a cycle"),
            "%s", out);
  free(out);
}

/* `compare --profile P`: a check of an action P's document does not list
 * is not compared (unsupported in every column); the vendor's dialect is
 * P. */
Test(cli, compare_takes_a_profile) {
  char dir[] = "/tmp/sc_cli_cmpXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char args[1024], path[256], *out;
  snprintf(args, sizeof args,
           "run --only 'format.*' --quiet --json %s/ref.json", dir);
  cr_assert_eq(run(args, NULL, &out), 0, "%s", out);
  free(out);
  snprintf(path, sizeof path, "%s/c.json", dir);
  snprintf(args, sizeof args,
           "compare --quiet --json %s %s/ref.json --profile " SC_DIALECT, path,
           dir);
  cr_expect_eq(run(args, NULL, &out), 0, "%s", out);
  free(out);
  FILE *f = fopen(path, "r");
  cr_assert_not_null(f);
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[len] = '\0';
  cJSON *j = cJSON_Parse(text);
  cr_assert_not_null(j, "%.200s", text);
  const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "vendors"), 0);
  cr_expect_str_eq(cJSON_GetObjectItem(v, "dialect")->valuestring, "acme");
  const cJSON *row;
  size_t n = 0;
  cJSON_ArrayForEach(row, cJSON_GetObjectItem(j, "rows")) {
    const char *id = cJSON_GetObjectItem(row, "id")->valuestring;
    /* acme lists neither rent nor the catalogue's getCountries */
    cr_expect(!strstr(id, "Rent") && !strstr(id, "getCountries"), "%s", id);
    n += !strcmp(id, "format.getBalance");
  }
  cr_expect_eq(n, 1u);
  cJSON_Delete(j);
  snprintf(args, sizeof args, "compare %s/ref.json --profile nope", dir);
  cr_expect_eq(run(args, NULL, &out), 2, "%s", out);
  cr_expect(strstr(out, "no profile 'nope'") != NULL, "%s", out);
  free(out);
  snprintf(args, sizeof args, "rm -rf %s", dir);
  cr_expect_eq(system(args), 0);
}

/* Starts `smsconform ARGV...` with its standard output on a pipe: the
 * pipe's read end in *out, the child's pid returned. */
static pid_t start(const char *const *argv, FILE **out) {
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execv(SC_BINARY, (char *const *)argv);
    _exit(127);
  }
  close(fds[1]);
  *out = fdopen(fds[0], "r");
  cr_assert_not_null(*out);
  return pid;
}

/* `serve --profile FILE` speaks the file's dialect until stopped. */
Test(cli, serve_takes_a_profile_file, .timeout = 30) {
  static const char *const argv[] = {SC_BINARY, "serve", "--port", "0",
                                     "--profile", SC_DIALECT, NULL};
  FILE *out;
  pid_t pid = start(argv, &out);
  char line[512], seen[2048] = "";
  for (int i = 0; i < 3 && fgets(line, sizeof line, out); i++)
    strncat(seen, line, sizeof seen - strlen(seen) - 1);
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  fclose(out);
  cr_expect(strstr(seen, "handler: http://127.0.0.1:") != NULL, "%s", seen);
  cr_expect(strstr(seen, "profile: acme\n") != NULL, "%s", seen);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
}

/* Writes |text| to a new file |name| in the new directory |dir| (a
 * mkdtemp template); its path in |path|. */
static void write_temp(char *dir, const char *name, const char *text,
                       char *path, size_t len) {
  cr_assert_not_null(mkdtemp(dir));
  snprintf(path, len, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
}

/* `serve --catalogue FILE` sells from the file; a file with a problem is
 * refused with the simulator's `FILE: $.path: message` lines, exit 2. */
Test(cli, serve_takes_a_catalogue_file, .timeout = 30) {
  char dir[] = "/tmp/sc_cli_catXXXXXX", path[64], *text;
  write_temp(dir, "cat.json",
             "{\"version\": 1, \"defaults\": {\"cost\": 0.5, \"stock\": 3},\n"
             " \"providers\": [{\"id\": 2260, \"pct\": 100}],\n"
             " \"services\": [{\"code\": \"tg\", \"name\": \"Telegram\"}],\n"
             " \"countries\": [{\"id\": 0, \"iso\": \"ru\", "
             "\"eng\": \"Russia\"}]}\n",
             path, sizeof path);
  const char *const argv[] = {SC_BINARY,     "serve", "--port", "0",
                              "--catalogue", path,    NULL};
  FILE *out;
  pid_t pid = start(argv, &out);
  char line[512], seen[2048] = "", stock[256] = "";
  unsigned port = 0;
  for (int i = 0; i < 3 && fgets(line, sizeof line, out); i++) {
    strncat(seen, line, sizeof seen - strlen(seen) - 1);
    if (!port)
      sscanf(line, "handler: http://127.0.0.1:%u/", &port);
  }
  /* the stock is the file's (3), not serve's default */
  if (port && system("command -v curl >/dev/null 2>&1") == 0) {
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "curl -s 'http://127.0.0.1:%u/stubs/handler_api.php?"
             "api_key=test-key&action=getNumbersStatus&country=0'",
             port);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(stock, 1, sizeof stock - 1, p);
    stock[n] = '\0';
    pclose(p);
    cr_expect_str_eq(stock, "{\"tg_0\":3}");
  }
  kill(pid, SIGTERM);
  int st = 0;
  waitpid(pid, &st, 0);
  fclose(out);
  cr_expect(strstr(seen, "profile: sms-activate\n") != NULL, "%s", seen);
  cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
  remove(path);
  rmdir(dir);

  char dir2[] = "/tmp/sc_cli_catXXXXXX", args[256];
  write_temp(dir2, "bad.json", "{\"version\": 1, \"defaults\": {\"cost\": "
                               "\"cheap\", \"stock\": 1}}\n",
             path, sizeof path);
  snprintf(args, sizeof args, "serve --port 0 --catalogue %s", path);
  cr_expect_eq(run(args, NULL, &text), 2, "%s", text);
  /* each problem on a line of its own, the file's name first */
  char want[128];
  snprintf(want, sizeof want, "\n%s: $.defaults.cost: ", path);
  cr_expect(strstr(text, want) != NULL || !strncmp(text, want + 1,
                                                   strlen(want + 1)),
            "%s", text);
  cr_expect(strstr(text, "refused, nothing of it is loaded") != NULL, "%s",
            text);
  cr_expect(strstr(text, "handler:") == NULL, "%s", text);
  free(text);
  remove(path);
  rmdir(dir2);
}

/* Every command's --help describes --profile NAME|FILE in the same
 * words. */
Test(cli, help_describes_profile_files_alike) {
  static const char *const cmds[] = {"run", "serve", "compare",
                                     "list", "parse", "lint"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    char args[64], *out;
    snprintf(args, sizeof args, "%s --help", cmds[i]);
    cr_expect_eq(run(args, NULL, &out), 0, "%s", out);
    cr_expect(strstr(out, "  --profile NAME|FILE\n") != NULL, "%s: %s",
              cmds[i], out);
    cr_expect(strstr(out, "FILE (a path, or a name ending in .json): a "
                          "profile of") != NULL,
              "%s: %s", cmds[i], out);
    cr_expect(strstr(out, "`FILE: $.path: message`, and the exit code is "
                          "2.") != NULL,
              "%s: %s", cmds[i], out);
    if (!strcmp(cmds[i], "serve"))
      cr_expect(strstr(out, "--catalogue FILE") != NULL, "%s", out);
    free(out);
  }
}

/* A report that cannot be written is an error that names the file, and it
 * never leaves a half file or touches an older one: the file is written
 * beside its name and renamed over it only when complete. */
Test(cli, reports_are_written_whole_or_not_at_all) {
  char *out;
  cr_expect_eq(run("run --profile rest-v1 --only 'format.*' --quiet "
                   "--json /dev/full",
                   NULL, &out),
               1, "%s", out);
  cr_expect(strstr(out, "cannot write /dev/full") != NULL, "%s", out);
  free(out);
  cr_expect_eq(run("run --profile rest-v1 --only 'format.*' --quiet "
                   "--junit /nonexistent-sc-dir/junit.xml",
                   NULL, &out),
               1, "%s", out);
  cr_expect(strstr(out, "cannot write /nonexistent-sc-dir/junit.xml") != NULL,
            "%s", out);
  free(out);
  /* a complete write replaces the older file and leaves nothing beside it */
  char dir[] = "/tmp/sc_cli_repXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[128], args[512];
  snprintf(path, sizeof path, "%s/r.json", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("OLD", f);
  fclose(f);
  snprintf(args, sizeof args,
           "run --profile rest-v1 --only 'format.*' --quiet --json %s", path);
  cr_expect_eq(run(args, NULL, &out), 0, "%s", out);
  free(out);
  f = fopen(path, "r");
  cr_assert_not_null(f);
  char head[8] = "";
  cr_expect_eq(fread(head, 1, 1, f), 1u);
  fclose(f);
  cr_expect_eq(head[0], '{', "the report did not replace the older file");
  char cmd[256];
  snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
  FILE *p = popen(cmd, "r");
  int n = -1;
  cr_expect_eq(fscanf(p, "%d", &n), 1);
  pclose(p);
  cr_expect_eq(n, 1, "a temporary file was left beside the report");
  remove(path);
  rmdir(dir);
}

/* `--help` and `help` name every command and `list` subject, one line
 * each, and point to `COMMAND --help`; `help COMMAND` is its --help. */
Test(cli, help_lists_every_command) {
  static const char *const names[] = {
      "  run ", "  serve ", "  compare ", "  list actions ", "  list tokens ",
      "  list profiles ", "  list faults ", "  list checks ", "  parse ",
      "  lint ", "smsconform COMMAND --help"};
  char *out, *out2;
  cr_expect_eq(run("--help", NULL, &out), 0);
  cr_expect_eq(run("help", NULL, &out2), 0);
  cr_expect_str_eq(out, out2);
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    cr_expect(strstr(out, names[i]) != NULL, "no \"%s\" in %s", names[i], out);
  free(out);
  free(out2);
  cr_expect_eq(run("help run", NULL, &out), 0);
  cr_expect(strstr(out, "Usage: smsconform run") != NULL, "%s", out);
  free(out);
}

/* getopt_long: --opt=value and --opt value alike, a unique prefix, `--`
 * before operands, and errors that name the option. */
Test(cli, options_in_every_form) {
  static const char *const bad[][2] = {
      {"run --re x", "option --re is ambiguous (--report-dir, --record, "
                     "--replay)"},
      {"run --list=yes", "run: option --list takes no value"},
      {"run --tier=fast", "--tier is smoke or full, not 'fast'"},
      {"serve --port", "serve: option --port needs a value"},
      {"serve extra", "serve: unexpected argument extra"},
      {"list -x actions", "list: unknown option -x"},
      {"help nope", "help: no command 'nope'"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char *out;
    cr_expect_eq(run(bad[i][0], "", &out), 2, "`%s` -> %s", bad[i][0], out);
    cr_expect(strstr(out, bad[i][1]) != NULL, "`%s`: expected \"%s\" in %s",
              bad[i][0], bad[i][1], out);
    free(out);
  }
  char *out;
  cr_expect_eq(run("parse --action=getStatus --prof=sms-activate -- -",
                   "STATUS_OK:1", &out),
               0, "%s", out);
  cr_expect(strstr(out, "\"verdict\": \"PASS\"") != NULL, "%s", out);
  free(out);
  cr_expect_eq(run("list --json=x profiles", "", &out), 2, "%s", out);
  free(out);
  cr_expect_eq(run("list profiles --profile=sms-activate", "", &out), 0,
               "%s", out);
  free(out);
}

/* contrib/bash-completion/smsconform, driven as bash drives it. */
Test(cli, bash_completion) {
  if (system("command -v bash >/dev/null 2>&1") != 0)
    cr_skip("bash is not installed: the completion script is not checked");
  static const char *const cases[][2] = {
      {"\"\"", "run serve compare list parse lint help"},
      {"run --ti", "--tier --timeout"},
      {"run --tier \"\"", "smoke full"},
      {"run --profile koa", "koalasms"},
      {"serve --fault no-ref", "no-refund"},
      {"serve --fault=no-ref", "no-refund"},
      {"run --fault rent-late-cancel,no-ref", "rent-late-cancel,no-refund"},
      {"list \"\"", "actions tokens profiles faults checks"},
      {"list ch", "checks"},
      {"compare --h", "--html --help"},
      {"parse --action getStatusV", "getStatusV2"},
      {"list --profile " SC_SOURCE_DIR "/examples/dialect/prob",
       SC_SOURCE_DIR "/examples/dialect/problem-details.json"},
      {"serve --catalogue " SC_SOURCE_DIR "/examples/dialect/prob",
       SC_SOURCE_DIR "/examples/dialect/problem-details.json"},
      {"serve --ca", "--catalogue"},
      {"serve --lat", "--latency"},
      {"compare --pro", "--profile"},
      {"lint --pro", "--profile"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char cmd[2048], *out;
    snprintf(cmd, sizeof cmd,
             "bash -c 'source \"%s/contrib/bash-completion/smsconform\" && "
             "COMP_WORDS=(\"%s\" %s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
             "_smsconform; echo \"${COMPREPLY[*]}\"'",
             SC_SOURCE_DIR, SC_BINARY, cases[i][0]);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    out = calloc(1, 4096);
    size_t n = fread(out, 1, 4095, p);
    out[n] = '\0';
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
    cr_expect_str_eq(out, cases[i][1], "completing `%s`", cases[i][0]);
    free(out);
  }
}

/* serve --latency MS[:JITTER] and --rate-limit N: values that are not
 * numbers in range are usage errors naming the option, exit 2. */
Test(cli, serve_latency_and_rate_limit_errors) {
  static const char *const bad[][2] = {
      {"serve --latency 50:abc",
       "serve: --latency takes MS or MS:JITTER (milliseconds), not '50:abc'"},
      {"serve --latency abc", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency -5", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency 50:", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency :20", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency 50:20:5", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency '50 '", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency=", "serve: --latency takes MS or MS:JITTER"},
      {"serve --latency 60001", "serve: --latency takes at most 60000 ms"},
      {"serve --latency 10:60001", "serve: --latency takes at most 60000 ms"},
      {"serve --latency 99999999999999999999999",
       "serve: --latency takes at most 60000 ms"},
      {"serve --latency", "serve: option --latency needs a value"},
      {"serve --rate-limit 0", "serve: --rate-limit takes 1..1000000, not '0'"},
      {"serve --rate-limit x", "serve: --rate-limit takes 1..1000000"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char *out;
    cr_expect_eq(run(bad[i][0], "", &out), 2, "`%s` -> %s", bad[i][0], out);
    cr_expect(strstr(out, bad[i][1]) != NULL, "`%s`: expected \"%s\" in %s",
              bad[i][0], bad[i][1], out);
    free(out);
  }
  char *out;
  cr_expect_eq(run("serve --help", NULL, &out), 0);
  cr_expect(strstr(out, "--latency MS[:JITTER]") &&
                strstr(out, "RATE_LIMITED") && strstr(out, "Retry-After"),
            "%s", out);
  free(out);
}

/* `serve --latency MS:JITTER --rate-limit N` starts under a handler
 * dialect, smsbulk and rest-v1, and stops cleanly on SIGTERM. */
Test(cli, serve_takes_latency_and_rate_limit, .timeout = 30) {
  static const char *const profiles[] = {"sms-activate", "smsbulk", "rest-v1"};
  for (size_t i = 0; i < sizeof profiles / sizeof *profiles; i++) {
    const char *const argv[] = {
        SC_BINARY, "serve",        "--port", "0",         "--latency",
        "100:20",  "--rate-limit", "5",      "--profile", profiles[i],
        NULL};
    FILE *out;
    pid_t pid = start(argv, &out);
    char line[512] = "";
    cr_expect_not_null(fgets(line, sizeof line, out), "%s", profiles[i]);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    fclose(out);
    cr_expect(strstr(line, "http://127.0.0.1:") != NULL, "%s: %s", profiles[i],
              line);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: status %d",
              profiles[i], st);
  }
}
