/* sc_sim_catalogue.h — the simulator's catalogue: the services it sells,
 * the countries (names, ISO code, slug, operators), the providers, and the
 * cost and stock every (service, country) offer starts with.
 *
 * A catalogue is read from JSON (specs/README.md, "catalogue.json"; the
 * default one is embedded in the binary) and checked
 * whole: a file with any problem is refused, every problem reported as
 * "NAME: $.path: message". Once loaded it is read-only; what changes while
 * the simulator runs (cost and stock after /control/price, /control/stock
 * and purchases) lives in the simulator's offers, which a reset copies from
 * here. Look-ups are binary searches over indices sorted at load. */
#ifndef SC_SIM_CATALOGUE_H
#define SC_SIM_CATALOGUE_H

#include <stddef.h>

struct sc_buf;

/* Bounds of a catalogue; beyond them a file is refused. They keep every
 * answer under the simulator's body cap and the load well under a second. */
#define SIM_CAT_FILE_MAX ((size_t)64 << 20)
#define SIM_CAT_MAX_SERVICES 20000
#define SIM_CAT_MAX_COUNTRIES 1000
#define SIM_CAT_MAX_OFFERS 1000000 /* services x countries */
#define SIM_CAT_MAX_PROVIDERS 16
#define SIM_CAT_MAX_OPERATORS 64 /* per country */
#define SIM_CAT_MAX_ID 99999     /* country ids 0 to this */
#define SIM_CAT_CODE_MAX 16      /* service code: bytes */
#define SIM_CAT_SLUG_MAX 63      /* slug, REST name, operator: bytes */
#define SIM_CAT_TEXT_MAX 200     /* names and notes: bytes */
#define SIM_CAT_MAX_COST 1000000 /* a cost, in units (not cents) */
#define SIM_CAT_MAX_STOCK 1000000000L
#define SIM_CAT_DIAG_MAX 50 /* problems listed; the rest are counted */

struct sim_service {
  const char *code; /* 001's short code: "tg" */
  const char *name; /* display name: "Telegram" */
  const char *rest; /* 002's lower-case identifier: "telegram" */
  char rest_buf[SIM_CAT_SLUG_MAX + 1]; /* |rest| when made from |name| */
};

struct sim_country {
  const char *id;   /* 001's numeric id as text: "0" */
  long num;         /* the same id as a number */
  const char *iso;  /* ISO 3166-1 alpha-2, lower case: "ru" */
  const char *slug; /* 003's name slug: "russia" */
  const char *eng, *rus, *chn;
  const char *const *operators; /* NULL-terminated; NULL when none */
  char id_buf[8];
  char iso_buf[3];
  char slug_buf[SIM_CAT_SLUG_MAX + 1]; /* |slug| when made from |eng| */
};

/* Providers (000 and 004 let a purchase name them): each sells at a
 * percentage of the offer's cost and holds a share of its stock. The first
 * sells at the cost itself (pct 100) and none is cheaper than the one
 * before it. */
struct sim_provider {
  unsigned id;
  unsigned pct;
};

struct sim_catalogue {
  struct sim_service *services; /* in the file's order */
  size_t nservices;
  struct sim_country *countries; /* in the file's order */
  size_t ncountries;
  struct sim_provider *providers;
  size_t nproviders;
  /* each offer's cost in cents and stock at a reset, at
   * [service * ncountries + country] */
  long long *cost;
  long *stock;
  /* private: the parsed file (strings point into it), the operator lists,
   * and the indices of the look-ups, each sorted by its key */
  struct cJSON *root;
  const char **ops;
  size_t *by_code, *by_rest, *by_id, *by_iso, *by_slug;
};

/* Loads the catalogue in |len| bytes at |data|, reported under |name|.
 * Returns NULL when it is refused or memory ran out, with one line per
 * problem appended to |diag| ("NAME: $.countries[3].id: not an integer";
 * at most SIM_CAT_DIAG_MAX of them, then how many more there were). */
struct sim_catalogue *sim_catalogue_new(const char *name, const char *data,
                                        size_t len, struct sc_buf *diag);
/* sim_catalogue_new on the file at |path| (at most SIM_CAT_FILE_MAX bytes),
 * reported under |path|. */
struct sim_catalogue *sim_catalogue_read(const char *path,
                                         struct sc_buf *diag);
/* sim_catalogue_new on the default catalogue embedded in the binary. */
struct sim_catalogue *sim_catalogue_embedded(struct sc_buf *diag);
/* The catalogue at |path|, or the embedded one when |path| is NULL: NULL
 * when refused, with the problems, one a line, in |err| (|errlen| bytes,
 * may be 0; cut short when they do not fit). */
struct sim_catalogue *sim_catalogue_open(const char *path, char *err,
                                         size_t errlen);
/* Frees |cat|; accepts NULL. */
void sim_catalogue_destroy(struct sim_catalogue *cat);

/* Look-ups: an index into services or countries, or -1 (also for NULL).
 * A service by its code, or by its REST identifier; a country by its
 * numeric id as text ("187") and, when |lenient|, by its ISO code (any
 * case) or slug (003 "Triple format support"); a country by ISO code
 * alone (002). */
long sim_catalogue_service(const struct sim_catalogue *cat, const char *code);
long sim_catalogue_service_rest(const struct sim_catalogue *cat,
                                const char *name);
long sim_catalogue_country(const struct sim_catalogue *cat,
                           const char *country, int lenient);
long sim_catalogue_country_iso(const struct sim_catalogue *cat,
                               const char *iso);

#endif
