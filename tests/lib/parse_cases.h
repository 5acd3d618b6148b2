/* parse_cases.h — the parser's case table: every example answer quoted in
 * the five source documents, every error token they list for an action, and
 * hostile bodies. test_parse.c judges each row; the fuzzing seeder
 * (fuzz/mkseeds.c) turns the bodies into seed inputs. Include once. */
#ifndef PARSE_CASES_H
#define PARSE_CASES_H

#include <smsconform/smsconform.h>

#include <stddef.h>

/* A body literal with its length (NUL bytes inside count, the final one
 * does not). */
#define BODY(s) (s), (sizeof(s) - 1)

/* No expectation for this column. */
#define SC_KIND_ANY (-1)
#define NO_DEV (-1)
#define ANY_OFF (-1L)

struct parse_case {
  const char *action;
  const char *profile; /* NULL = the reference profile (sms-activate) */
  int http_status;
  const char *content_type;
  const char *body;
  size_t len;
  int kind;             /* enum sc_kind, or SC_KIND_ANY */
  enum sc_verdict verdict;
  const char *token;    /* expected token name, NULL = no token */
  const char *field;    /* one expected field name, or NULL */
  const char *value;    /* its expected value */
  int dev;              /* an enum sc_dev expected among r.devs, or NO_DEV */
  long dev_off;         /* the byte offset of that deviation, or ANY_OFF */
};

/* clang-format off */
static const struct parse_case cases[] = {
  /* ---------------- 000 (KoalaSMS) ---------------- */
  /* 000 &action=getNumber: the example answer */
  {"getNumber", "koalasms", 200, NULL, BODY("ACCESS_NUMBER:59384721:447912345678"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_NUMBER", "phone", "447912345678", NO_DEV, ANY_OFF},
  /* 000 &action=getNumber: the same answer, activation id field */
  {"getNumber", "koalasms", 200, NULL, BODY("ACCESS_NUMBER:59384721:447912345678"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_NUMBER", "activationId", "59384721", NO_DEV, ANY_OFF},
  /* 000 &action=getNumberV2: the example answer, verbatim with its line
   * breaks */
  {"getNumberV2", "koalasms", 200, NULL, BODY("{\n"
   "\"activationCancel\": \"2026-04-15 10:07:30\",\n"
   "\"activationCost\": 1.49,\n"
   "\"activationEnd\": \"2026-04-15 10:22:30\",\n"
   "\"activationId\": 728904112,\n"
   "\"activationTime\": \"2026-04-15 10:02:30\",\n"
   "\"canGetAnotherSms\": \"1\",\n"
   "\"countryCode\": \"7\",\n"
   "\"currency\": 643,\n"
   "\"phoneNumber\": \"18036181752\"\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getStatus: the second description, a JSON answer */
  {"getStatus", "koalasms", 200, NULL, BODY("{\n"
   "\"verificationType\": 1,\n"
   "\"sms\": {\n"
   "\"dateTime\": \"2026-04-10 09:17:42\",\n"
   "\"code\": \"436921\",\n"
   "\"text\": \"Your verification code is 436921\"\n"
   "}\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getActiveActivations: the example answer (a bare array) */
  {"getActiveActivations", "koalasms", 200, NULL, BODY("[\n{\n"
   "\"activationCost\": 1.10,\n"
   "\"activationId\": \"732845901\",\n"
   "\"activationStatus\": 1,\n"
   "\"activationTime\": \"2026-04-03 16:25:40\",\n"
   "\"canGetAnotherSms\": \"1\",\n"
   "\"countryCode\": \"49\",\n"
   "\"countryName\": \"Germany\",\n"
   "\"currency\": 978,\n"
   "\"discount\": \"0.05\",\n"
   "\"phoneNumber\": \"4917623456789\",\n"
   "\"repeated\": \"0\",\n"
   "\"serviceCode\": \"tg\",\n"
   "\"smsCode\": \"847392\",\n"
   "\"smsText\": \"Your Telegram verification code is 847392\"\n"
   "}\n]"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=setStatus: the four service responses */
  {"setStatus", "koalasms", 200, NULL, BODY("ACCESS_READY"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_READY", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("ACCESS_RETRY_GET"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_RETRY_GET", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("ACCESS_ACTIVATION"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("ACCESS_CANCEL"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getStatus: the service responses, placeholders filled */
  {"getStatus", "koalasms", 200, NULL, BODY("STATUS_WAIT_RETRY:4321"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_WAIT_RETRY", "lastCode", "4321", NO_DEV, ANY_OFF},
  {"getStatus", "koalasms", 200, NULL, BODY("STATUS_WAIT_RESEND"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_WAIT_RESEND", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getBalance: ACCESS_BALANCE:$balance with a balance */
  {"getBalance", "koalasms", 200, NULL, BODY("ACCESS_BALANCE:10.00"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_BALANCE", "balance", "10.00", NO_DEV, ANY_OFF},
  /* 000 &action=getNumber: possible errors */
  {"getNumber", "koalasms", 200, NULL, BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "koalasms", 200, NULL, BODY("NO_NUMBERS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "koalasms", 200, NULL, BODY("SERVICE_UNAVAILABLE_REGION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "SERVICE_UNAVAILABLE_REGION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getNumberV2: NO_BALANCE is listed there (not for getNumber) */
  {"getNumberV2", "koalasms", 200, NULL, BODY("NO_BALANCE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_BALANCE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=setStatus: possible errors */
  {"setStatus", "koalasms", 200, NULL, BODY("ERROR_SQL"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ERROR_SQL", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("BAD_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("BAD_STATUS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_STATUS", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "koalasms", 200, NULL, BODY("BAD_ACTION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_ACTION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getStatus: possible errors */
  {"getStatus", "koalasms", 200, NULL, BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getBalance: possible errors */
  {"getBalance", "koalasms", 200, NULL, BODY("SERVICE_UNAVAILABLE_REGION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "SERVICE_UNAVAILABLE_REGION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getPricesV3: possible errors */
  {"getPricesV3", "koalasms", 200, NULL, BODY("BAD_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getActiveActivations: NO_KEY, where every other call says
   * BAD_KEY */
  {"getActiveActivations", "koalasms", 200, NULL, BODY("NO_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_KEY", NULL, NULL, NO_DEV, ANY_OFF},

  /* ---------------- 001 (SMS-Activate, the reference) ---------------- */
  /* 001 V2 Number Request FreePrice: the example, braces repaired and the
   * masked digits of 79584****** filled in, as the spec's note says */
  {"getNumberV2", NULL, 200, NULL, BODY("{\"activationId\": 635468024,"
   "\"phoneNumber\": \"79584000000\",\"activationCost\": \"12.50\","
   "\"countryCode\": \"0\",\"canGetAnotherSms\": \"1\","
   "\"activationTime\": \"2022-06-01 17:30:57\",\"activationOperator\": \"mtt\"}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 When you receive an SMS ... Webhooks: the payload, braces repaired
   * and its trailing comma dropped */
  {"webhook", NULL, 0, NULL, BODY("{\"activationId\": 635468024,"
   "\"service\": \"go\",\"text\": \"Your sms text\",\"code\": \"Your sms code\","
   "\"country\": 0,\"receivedAt\": \"2022-06-01 17:30:57\"}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get a list of all services: the example answer */
  {"getServicesList", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"services\": [ { \"code\": \"aoo\", \"name\": \"Pegasus Airlines\" } ] }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get a price for additional number activation: single quotes made
   * double, trailing comma dropped. The reference's own example sends phone
   * as a JSON number, so it must PASS. */
  {"checkExtraActivation", NULL, 200, NULL,
   BODY("{\"status\": \"success\", \"cost\":200,\"service\":\"tw\",\"phone\":777777777,\"country\":14}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get a price for additional number activation: the same answer with
   * phone as a string of digits, as every other 001 answer sends it */
  {"checkExtraActivation", NULL, 200, NULL,
   BODY("{\"status\": \"success\", \"cost\":200,\"service\":\"tw\",\"phone\":\"777777777\",\"country\":14}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Rent Api / Request available countries and services: the example,
   * with the "..." elision left out */
  {"getRentServicesAndCountries", NULL, 200, NULL,
   BODY("{ \"countries\": { \"0\": 0 }, \"operators\": { \"0\": \"aiva\", \"1\": \"any\", "
        "\"2\": \"beeline\", \"16\": \"yota\" }, \"services\": { \"full\": { \"cost\": 42.93, "
        "\"quant\": 20 }, \"vk\": { \"cost\": 21.95, \"quant\": 20 }, \"ok\": { \"cost\": 7.68, "
        "\"quant\": 55 }, \"ot\": { \"cost\": 5.2, \"quant\": 42 } }, \"currency\": 840 }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Order a virtual number rental: the example answer */
  {"getRentNumber", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"phone\": { \"id\": 1049, \"endDate\": \"2020-01-31T12:01:52\", \"number\": \"79959707564\" } }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 get status for rent: the example answer */
  {"getRentStatus", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"quantity\": \"2\", \"values\": { \"0\": { \"phoneFrom\": \"79180230628\", "
        "\"text\": \"5\", \"service\": \"ot\", \"date\": \"2020-01-30 14:31:58\" }, \"1\": { \"phoneFrom\": "
        "\"79180230628\", \"text\": \"4\", \"service\": \"ot\", \"date\": \"2020-01-30 14:04:16\" } } }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Rental Status Change: the example answer */
  {"setRentStatus", NULL, 200, NULL, BODY("{ \"status\": \"success\" }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 List current activations (rent): the example answer */
  {"getRentList", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"values\": { \"0\": { \"id\": \"12345\", \"phone\": \"79181234567\" }, "
        "\"1\": { \"id\": \"12345\", \"phone\": \"79181234568\" } } }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Extend your lease: the example answer */
  {"continueRentNumber", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"phone\": { \"id\": 1049, \"endDate\": \"2020-01-31T12:01:52\", \"number\": \"79959707564\"} }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get the cost of rent renewal: the example answer */
  {"getContinueRentPriceNumber", NULL, 200, NULL,
   BODY("{ \"status\": \"success\", \"price\": 6.33, \"currency\": 840 }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Virtual number reactivation: ACCESS_NUMBER:$id:$phone */
  {"getExtraActivation", NULL, 200, NULL, BODY("ACCESS_NUMBER:635468025:79584000000"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_NUMBER", "activationId", "635468025", NO_DEV, ANY_OFF},
  /* 001 Additional service for redirected numbers: ADDITIONAL:$id:$phone */
  {"getAdditionalService", NULL, 200, NULL, BODY("ADDITIONAL:123:79001234567"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ADDITIONAL", "phone", "79001234567", NO_DEV, ANY_OFF},
  {"getAdditionalService", NULL, 200, NULL, BODY("ADDITIONAL:123:79001234567"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ADDITIONAL", "activationId", "123", NO_DEV, ANY_OFF},
  /* 001 Get activation status: STATUS_OK: 'activation code' filled in */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:436921"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", "code", "436921", NO_DEV, ANY_OFF},
  /* 001 Balance inquiry: ACCESS_BALANCE with a balance */
  {"getBalance", NULL, 200, NULL, BODY("ACCESS_BALANCE:100.25"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_BALANCE", "balance", "100.25", NO_DEV, ANY_OFF},
  /* 001 Balance inquiry: errors */
  {"getBalance", NULL, 200, NULL, BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", NULL, 200, NULL, BODY("ERROR_SQL"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ERROR_SQL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Request available operators: OPERATORS_NOT_FOUND */
  {"getOperators", NULL, 200, NULL, BODY("OPERATORS_NOT_FOUND"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "OPERATORS_NOT_FOUND", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Request active activations: NO_ACTIVATIONS (plural) */
  {"getActiveActivations", NULL, 200, NULL, BODY("NO_ACTIVATIONS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATIONS", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Request a number FreePrice: WRONG_MAX_PRICE:$min */
  {"getNumber", NULL, 200, NULL, BODY("WRONG_MAX_PRICE:0.025"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_MAX_PRICE", "min", "0.025", NO_DEV, ANY_OFF},
  /* 001 Request a number FreePrice: BANNED:'YYYY-m-d H-i-s' */
  {"getNumber", NULL, 200, NULL, BODY("BANNED:'2026-2-13 12-00-00'"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BANNED", "until", "2026-2-13 12-00-00", NO_DEV, ANY_OFF},
  /* 001 Request a number FreePrice: the other errors */
  {"getNumber", NULL, 200, NULL, BODY("BAD_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", NULL, 200, NULL, BODY("WRONG_EXCEPTION_PHONE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_EXCEPTION_PHONE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", NULL, 200, NULL, BODY("NO_BALANCE_FORWARD"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_BALANCE_FORWARD", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", NULL, 200, NULL, BODY("CHANNELS_LIMIT"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "CHANNELS_LIMIT", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", NULL, 200, NULL, BODY("NO_NUMBERS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 V2 Number Request FreePrice: ORDER_ALREADY_EXISTS */
  {"getNumberV2", NULL, 200, NULL, BODY("ORDER_ALREADY_EXISTS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ORDER_ALREADY_EXISTS", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Change of activation status: EARLY_CANCEL_DENIED, WRONG_ACTIVATION_ID */
  {"setStatus", NULL, 200, NULL, BODY("EARLY_CANCEL_DENIED"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "EARLY_CANCEL_DENIED", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", NULL, 200, NULL, BODY("WRONG_ACTIVATION_ID"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_ACTIVATION_ID", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get activation status: NO_ACTIVATION */
  {"getStatus", NULL, 200, NULL, BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get the status of an incoming call: INVALID_ACTIVATION_ID */
  {"getIncomingCallStatus", NULL, 200, NULL, BODY("INVALID_ACTIVATION_ID"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "INVALID_ACTIVATION_ID", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Additional service for redirected numbers: errors */
  {"getAdditionalService", NULL, 200, NULL, BODY("WRONG_ADDITIONAL_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_ADDITIONAL_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getAdditionalService", NULL, 200, NULL, BODY("WRONG_SECURITY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_SECURITY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getAdditionalService", NULL, 200, NULL, BODY("REPEAT_ADDITIONAL_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "REPEAT_ADDITIONAL_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Virtual number reactivation: errors */
  {"getExtraActivation", NULL, 200, NULL, BODY("RENEW_ACTIVATION_NOT_AVAILABLE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "RENEW_ACTIVATION_NOT_AVAILABLE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getExtraActivation", NULL, 200, NULL, BODY("NEW_ACTIVATION_IMPOSSIBLE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NEW_ACTIVATION_IMPOSSIBLE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get a price for additional number activation: SIM_OFFLINE */
  {"checkExtraActivation", NULL, 200, NULL, BODY("SIM_OFFLINE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "SIM_OFFLINE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Repeated voice parsing: NO_CALL, PARSE_COUNT_EXCEED */
  {"parseCall", NULL, 200, NULL, BODY("NO_CALL"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_CALL", NULL, NULL, NO_DEV, ANY_OFF},
  {"parseCall", NULL, 200, NULL, BODY("PARSE_COUNT_EXCEED"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "PARSE_COUNT_EXCEED", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Rent Api: OUT_OF_STOCK, answered as plain text */
  {"getRentServicesAndCountries", NULL, 200, NULL, BODY("OUT_OF_STOCK"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "OUT_OF_STOCK", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Order a virtual number rental: errors as {"status":"error",...} */
  {"getRentNumber", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"ACCOUNT_INACTIVE\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ACCOUNT_INACTIVE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getRentNumber", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"NO_NUMBERS\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Order a virtual number rental: BAD_KEY stays plain text */
  {"getRentNumber", NULL, 200, NULL, BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 get status for rent: JSON errors */
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"NO_ID_RENT\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ID_RENT", NULL, NULL, NO_DEV, ANY_OFF},
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"INVALID_PHONE\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "INVALID_PHONE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 get status for rent: STATUS_FINISH in the message field is a state
   * report, not a failure */
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"STATUS_FINISH\"}"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_FINISH", NULL, NULL, NO_DEV, ANY_OFF},
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"STATUS_REVOKE\"}"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_REVOKE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Rental Status Change: JSON errors, INCORECT_STATUS stays misspelt */
  {"setRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"INCORECT_STATUS\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "INCORECT_STATUS", NULL, NULL, NO_DEV, ANY_OFF},
  {"setRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"CANT_CANCEL\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "CANT_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  {"setRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"ALREADY_FINISH\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ALREADY_FINISH", NULL, NULL, NO_DEV, ANY_OFF},
  {"setRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"ALREADY_CANCEL\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ALREADY_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 List current activations (rent): JSON errors */
  {"getRentList", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"SERVER_ERROR\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "SERVER_ERROR", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Extend your lease: a JSON error with its "info" key */
  {"continueRentNumber", NULL, 200, NULL,
   BODY("{\"status\":\"error\",\"message\":\"MAX_HOURS_EXCEED\",\"info\":\"max 1344\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "MAX_HOURS_EXCEED", NULL, NULL, NO_DEV, ANY_OFF},
  {"continueRentNumber", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"RENT_DIE\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "RENT_DIE", NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Get the cost of rent renewal: a JSON error */
  {"getContinueRentPriceNumber", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"INVALID_TIME\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "INVALID_TIME", NULL, NULL, NO_DEV, ANY_OFF},

  /* ---------------- 002 (REST dialect) ---------------- */
  /* 002 GET/api/v1/balance: the response */
  {"v1.balance", "rest-v1", 200, "application/json",
   BODY("{\n  \"balance\": 12.40,\n  \"currency\": \"USD\"\n}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 002 GET/api/v1/numbers/available: the response */
  {"v1.numbers.available", "rest-v1", 200, "application/json",
   BODY("{\n  \"service\": \"telegram\",\n  \"country\": \"ru\",\n  \"price\": 0.07,\n  \"available\": 142\n}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 002 POST/api/v1/numbers/buy: the response ("+" belongs to this
   * dialect's numbers) */
  {"v1.numbers.buy", "rest-v1", 200, "application/json",
   BODY("{\n  \"id\": \"act_9x2k1p\",\n  \"number\": \"+79161234567\",\n  \"service\": \"telegram\",\n"
        "  \"country\": \"ru\",\n  \"expires_at\": \"2024-03-14T12:34:56Z\"\n}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 002 GET/api/v1/activations/:id: the response */
  {"v1.activations.get", "rest-v1", 200, "application/json",
   BODY("{\n  \"id\": \"act_9x2k1p\",\n  \"status\": \"received\",\n  \"code\": \"482910\",\n"
        "  \"received_at\": \"2024-03-14T12:33:22Z\"\n}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 002 names no status before the SMS: the open list makes another
   * string a WARN at the status value, and a number still a FAIL */
  {"v1.activations.get", "rest-v1", 200, "application/json",
   BODY("{\"id\":\"act_1\",\"status\":\"waiting\",\"code\":null}"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_UNLISTED, 23},
  {"v1.activations.get", "rest-v1", 200, "application/json",
   BODY("{\"id\":\"act_1\",\"status\":3}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_SHAPE, ANY_OFF},
  /* 002 DELETE/api/v1/activations/:id: the response */
  {"v1.activations.delete", "rest-v1", 200, "application/json",
   BODY("{\n  \"id\": \"act_9x2k1p\",\n  \"status\": \"cancelled\",\n  \"refunded\": true\n}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},

  /* ---------------- 003 (SMSBulk) ---------------- */
  /* 003 Authentication / getBalance: the plain-text response */
  {"getBalance", "smsbulk", 200, "text/plain", BODY("ACCESS_BALANCE:42.50"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_BALANCE", "balance", "42.50", NO_DEV, ANY_OFF},
  /* 003 getNumber: the example answer */
  {"getNumber", "smsbulk", 200, "text/plain", BODY("ACCESS_NUMBER:12345678:79991234567"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_NUMBER", "phone", "79991234567", NO_DEV, ANY_OFF},
  /* 003 getStatus: the example answer */
  {"getStatus", "smsbulk", 200, "text/plain", BODY("STATUS_OK:123456"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", "code", "123456", NO_DEV, ANY_OFF},
  /* 003 getStatus: the other two named answers */
  {"getStatus", "smsbulk", 200, "text/plain", BODY("STATUS_WAIT_CODE"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_WAIT_CODE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getStatus", "smsbulk", 200, "text/plain", BODY("STATUS_CANCEL"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 setStatus: the example answer */
  {"setStatus", "smsbulk", 200, "text/plain", BODY("ACCESS_ACTIVATION"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 setStatus Values: the responses of the table */
  {"setStatus", "smsbulk", 200, "text/plain", BODY("ACCESS_READY"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_READY", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "smsbulk", 200, "text/plain", BODY("ACCESS_RETRY_GET"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_RETRY_GET", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "smsbulk", 200, "text/plain", BODY("ACCESS_CANCEL"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 getNumbersStatus: the example answer */
  {"getNumbersStatus", "smsbulk", 200, "application/json", BODY("{\"wa_187\":1234,\"tg_187\":567}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 getPrices: the example answer */
  {"getPrices", "smsbulk", 200, "application/json", BODY("{\"187\":{\"wa\":{\"cost\":0.5,\"count\":1234}}}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 getCountries: the example answer without its "..." elision */
  {"getCountries", "smsbulk", 200, "application/json", BODY("[{\"id\":187,\"iso\":\"TR\"}]"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 Error Codes: every code, tied to an action that answers it */
  {"getBalance", "smsbulk", 200, "text/plain", BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", "smsbulk", 200, "text/plain", BODY("BAD_ACTION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_ACTION", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", "smsbulk", 200, "text/plain", BODY("WRONG_ACTION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_ACTION", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", "smsbulk", 200, "text/plain", BODY("RATE_LIMITED"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "RATE_LIMITED", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", "smsbulk", 200, "text/plain", BODY("ERROR_SQL"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ERROR_SQL", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "smsbulk", 200, "text/plain", BODY("BAD_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "smsbulk", 200, "text/plain", BODY("BAD_COUNTRY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_COUNTRY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "smsbulk", 200, "text/plain", BODY("NO_BALANCE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_BALANCE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "smsbulk", 200, "text/plain", BODY("NO_NUMBERS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "smsbulk", 200, "text/plain", BODY("BAD_STATUS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_STATUS", NULL, NULL, NO_DEV, ANY_OFF},
  {"getStatus", "smsbulk", 200, "text/plain", BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumbersStatus", "smsbulk", 200, "text/plain", BODY("BAD_COUNTRY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_COUNTRY", NULL, NULL, NO_DEV, ANY_OFF},
  /* 003 Error Codes: "All errors return plain text codes (text/plain)", so
   * an error served as application/json has the wrong content type */
  {"getBalance", "smsbulk", 200, "application/json", BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "BAD_KEY", NULL, NULL, SC_DEV_CONTENT_TYPE, ANY_OFF},

  /* ---------------- 004 (SecureSMS) ---------------- */
  /* 004 Get balance GET: the example answer */
  {"getBalance", "securesms", 200, NULL, BODY("ACCESS_BALANCE:2.356"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_BALANCE", "balance", "2.356", NO_DEV, ANY_OFF},
  /* 004 Buy a number GET: the getNumberV2 example. The securesms profile
   * overrides the success form with exactly these types (activationId a
   * string, canGetAnotherSms a boolean, activationCost a number), so under
   * its own profile the answer conforms */
  {"getNumberV2", "securesms", 200, NULL, BODY("{\n"
   "\"activationId\": \"123456\",\n"
   "\"phoneNumber\": \"919876543210\",\n"
   "\"activationCost\": 0.28,\n"
   "\"countryCode\": \"22\",\n"
   "\"canGetAnotherSms\": true,\n"
   "\"activationTime\": \"2026-06-12 21:14:05\",\n"
   "\"activationOperator\": \"any\"\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Buy a number GET: the same example judged against the reference
   * (001 V2 Number Request FreePrice): three type variants, each WARN */
  {"getNumberV2", NULL, 200, NULL, BODY("{\n"
   "\"activationId\": \"123456\",\n"
   "\"phoneNumber\": \"919876543210\",\n"
   "\"activationCost\": 0.28,\n"
   "\"countryCode\": \"22\",\n"
   "\"canGetAnotherSms\": true,\n"
   "\"activationTime\": \"2026-06-12 21:14:05\",\n"
   "\"activationOperator\": \"any\"\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, 18},
  /* 004 Get SMS code GET: the four answers */
  {"getStatus", "securesms", 200, NULL, BODY("STATUS_WAIT_CODE"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_WAIT_CODE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getStatus", "securesms", 200, NULL, BODY("STATUS_WAIT_RETRY:12345"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_WAIT_RETRY", "lastCode", "12345", NO_DEV, ANY_OFF},
  {"getStatus", "securesms", 200, NULL, BODY("STATUS_OK:482910"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", "code", "482910", NO_DEV, ANY_OFF},
  {"getStatus", "securesms", 200, NULL, BODY("STATUS_CANCEL"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Set status GET: "→ ACCESS_CANCEL (only after 2 min from purchase)" */
  {"setStatus", "securesms", 200, NULL, BODY("ACCESS_CANCEL"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, "ACCESS_CANCEL", NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Prices GET: the getPricesV3 example (flat per-provider shape) */
  {"getPricesV3", "securesms", 200, NULL, BODY("{\n"
   "\"22\": { \"tg\": {\n"
   "\"2266\": { \"price\": 0.28, \"count\": 1, \"provider_id\": 2266 },\n"
   "\"2260\": { \"price\": 1.51, \"count\": 168, \"provider_id\": 2260 }\n"
   "} }\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Services GET: the example answer */
  {"getServicesList", "securesms", 200, NULL, BODY("{ \"status\": \"success\", \"services\": [\n"
   "{ \"code\": \"tg\", \"name\": \"Telegram\" },\n"
   "{ \"code\": \"wa\", \"name\": \"WhatsApp\" },\n"
   "{ \"code\": \"go\", \"name\": \"Google, Gmail, Youtube\" }\n"
   "] }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Countries GET: the example answer, UTF-8 names included */
  {"getCountries", "securesms", 200, NULL,
   BODY("{ \"22\": { \"id\": 22, \"eng\": \"India\", \"rus\": \"\xd0\x98\xd0\xbd\xd0\xb4\xd0\xb8\xd1\x8f\", "
        "\"chn\": \"\xe5\x8d\xb0\xe5\xba\xa6\" } }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Top countries GET: the example answer (country slug, partner id) */
  {"getTopCountriesByService", "securesms", 200, NULL, BODY("{ \"colombia\": {\n"
   "\"3243\": { \"price\": 0.106, \"count\": 1206 },\n"
   "\"3406\": { \"price\": 2.211, \"count\": 21670 }\n"
   "} }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Deposit wallet GET: the example answer */
  {"getActualWalletAddress", "securesms", 200, NULL,
   BODY("{ \"wallet_address\": \"TWXE3jHmPvHYVXUbEyn5aaaAcvp9g4X3ys\" }"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Webhook POST: the payload */
  {"webhook", "securesms", 0, NULL, BODY("{\n"
   "\"activationId\": 123456,\n"
   "\"service\": \"tg\",\n"
   "\"text\": \"Your code is 482910\",\n"
   "\"code\": \"482910\",\n"
   "\"country\": 22,\n"
   "\"receivedAt\": \"2026-06-12 21:14:08\"\n"
   "}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 004 Errors: each code, tied to an action that answers it */
  {"getBalance", "securesms", 200, NULL, BODY("BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  {"getBalance", "securesms", 200, NULL, BODY("BAD_ACTION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_ACTION", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "securesms", 200, NULL, BODY("WRONG_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "securesms", 200, NULL, BODY("NO_NUMBERS"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_NUMBERS", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumber", "securesms", 200, NULL, BODY("NO_BALANCE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_BALANCE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getNumberV2", "securesms", 200, NULL, BODY("WRONG_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},
  {"getStatus", "securesms", 200, NULL, BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATION", NULL, NULL, NO_DEV, ANY_OFF},
  {"setStatus", "securesms", 200, NULL, BODY("EARLY_CANCEL_DENIED"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "EARLY_CANCEL_DENIED", NULL, NULL, NO_DEV, ANY_OFF},
  {"getTopCountriesByService", "securesms", 200, NULL, BODY("WRONG_SERVICE"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "WRONG_SERVICE", NULL, NULL, NO_DEV, ANY_OFF},

  /* ---------------- traps ---------------- */
  /* 001 Request active activations vs Get activation status: NO_ACTIVATIONS
   * and NO_ACTIVATION are different tokens; a prefix match would confuse
   * them. getStatus never lists the plural one. */
  {"getStatus", NULL, 200, NULL, BODY("NO_ACTIVATIONS"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_ACTIVATIONS", NULL, NULL, SC_DEV_UNDOCUMENTED_TOKEN, ANY_OFF},
  {"getActiveActivations", NULL, 200, NULL, BODY("NO_ACTIVATION"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_ACTIVATION", NULL, NULL, SC_DEV_UNDOCUMENTED_TOKEN, ANY_OFF},
  /* 001 Request a number FreePrice: lists NO_BALANCE_FORWARD but not
   * NO_BALANCE; the shorter token must not be taken for the longer one */
  {"getNumber", NULL, 200, NULL, BODY("NO_BALANCE"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_BALANCE", NULL, NULL, SC_DEV_UNDOCUMENTED_TOKEN, ANY_OFF},
  /* 000 &action=getBalance: SERVICE_UNAVAILABLE_REGION is KoalaSMS's; the
   * reference never sends it */
  {"getBalance", NULL, 200, NULL, BODY("SERVICE_UNAVAILABLE_REGION"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "SERVICE_UNAVAILABLE_REGION", NULL, NULL, SC_DEV_UNDOCUMENTED_TOKEN, ANY_OFF},
  /* STATUS_OK:{code:rest}: the code runs to the end, ':' included */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:12:34"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", "code", "12:34", NO_DEV, ANY_OFF},
  /* A trailing newline (PHP echo with "\n") is whitespace around the token */
  {"getBalance", NULL, 200, NULL, BODY("BAD_KEY\n"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "BAD_KEY", NULL, NULL, SC_DEV_WHITESPACE, 7},
  /* ... and so is a CRLF after a success answer; the field stops before it */
  {"getBalance", NULL, 200, NULL, BODY("ACCESS_BALANCE:42.50\r\n"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, "ACCESS_BALANCE", "balance", "42.50", SC_DEV_WHITESPACE, 20},
  /* A token json_encode()d by a careless vendor */
  {"getBalance", NULL, 200, NULL, BODY("\"BAD_KEY\""),
   SC_KIND_ERROR, SC_VERDICT_WARN, "BAD_KEY", NULL, NULL, SC_DEV_QUOTED, ANY_OFF},
  /* Tokens are upper case in every document; clients compare exactly */
  {"getBalance", NULL, 200, NULL, BODY("bad_key"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, "BAD_KEY", NULL, NULL, SC_DEV_TOKEN_CASE, 0},
  /* An empty body is no answer at all */
  {"getBalance", NULL, 200, NULL, BODY(""),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_EMPTY_BODY, 0},
  /* A web server's error page in place of the API */
  {"getBalance", NULL, 500, "text/html",
   BODY("<html><head><title>500 Internal Server Error</title></head>"
        "<body><h1>Internal Server Error</h1></body></html>"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_HTML_BODY, ANY_OFF},
  {"getBalance", NULL, 500, "text/html",
   BODY("<!DOCTYPE html>\n<html><body>oops</body></html>"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_HTTP_5XX, ANY_OFF},
  /* An error in the {"title","details"} problem dialect some clones use */
  {"getBalance", NULL, 401, "application/json",
   BODY("{\"title\":\"BAD_KEY\",\"details\":\"Invalid API key\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "BAD_KEY", NULL, NULL, SC_DEV_PROBLEM_DETAILS, ANY_OFF},
  /* msisdn is digits only in the text form (001 ACCESS_NUMBER:$id:$phone) */
  {"getNumber", NULL, 200, NULL, BODY("ACCESS_NUMBER:1:+79991234567"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "ACCESS_NUMBER", NULL, NULL, SC_DEV_FIELD, 16},
  /* 001 Balance inquiry prints "ACCESS_BALANCE: 'account balance'": a space
   * after ':' is a variant (WARN), and not part of the balance */
  {"getBalance", NULL, 200, NULL, BODY("ACCESS_BALANCE: 42.50"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, "ACCESS_BALANCE", "balance", "42.50", SC_DEV_FIELD_VARIANT, 15},
  /* An empty code is no code (STATUS_OK:$code) */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "STATUS_OK", NULL, NULL, SC_DEV_FIELD, 10},
  /* A token whose pattern has fields, sent without them */
  {"getBalance", NULL, 200, NULL, BODY("ACCESS_BALANCE"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "ACCESS_BALANCE", NULL, NULL, SC_DEV_PATTERN, ANY_OFF},
  /* A token that no document defines */
  {"getBalance", NULL, 200, NULL, BODY("NO_SUCH_TOKEN"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_UNKNOWN_TOKEN, 0},
  /* 001's Java sample names MESSAGE_WAS_SENT; it is never on the wire */
  {"setStatus", NULL, 200, NULL, BODY("MESSAGE_WAS_SENT"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "MESSAGE_WAS_SENT", NULL, NULL, SC_DEV_LIBRARY_NAME, 0},
  /* A valid token that answers another action */
  {"getNumber", NULL, 200, NULL, BODY("ACCESS_BALANCE:1"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "ACCESS_BALANCE", NULL, NULL, SC_DEV_WRONG_ANSWER, 0},
  /* Trailing garbage after a complete JSON value: RFC 8259 allows only
   * whitespace; the offset points at the 'x' */
  {"getPrices", NULL, 200, NULL, BODY("{\"a\":1}x"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_SYNTAX, 7},
  /* A NUL byte after the token: a C client would see BAD_KEY alone */
  {"getBalance", NULL, 200, NULL, BODY("BAD_KEY\0x"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "BAD_KEY", NULL, NULL, SC_DEV_BINARY, 7},
  /* Invalid UTF-8 (a lone 0xFF) after the token */
  {"getBalance", NULL, 200, NULL, BODY("BAD_KEY\xff"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "BAD_KEY", NULL, NULL, SC_DEV_BINARY, 7},
  /* A UTF-8 byte order mark from a PHP file saved with one */
  {"getBalance", NULL, 200, NULL, BODY("\xef\xbb\xbf" "BAD_KEY"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "BAD_KEY", NULL, NULL, SC_DEV_BOM, 0},
  /* 001 V2 Number Request FreePrice: activationId is an id, "abc" is not */
  {"getNumberV2", NULL, 200, NULL, BODY("{\"activationId\": \"abc\","
   "\"phoneNumber\": \"79584000000\",\"activationCost\": \"12.50\","
   "\"countryCode\": \"0\",\"canGetAnotherSms\": \"1\","
   "\"activationTime\": \"2022-06-01 17:30:57\",\"activationOperator\": \"mtt\"}"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_TYPE, ANY_OFF},
  /* 000 &action=getNumberV2 without phoneNumber: the purchase is useless */
  {"getNumberV2", "koalasms", 200, NULL, BODY("{\"activationCancel\":\"2026-04-15 10:07:30\","
   "\"activationCost\":1.49,\"activationEnd\":\"2026-04-15 10:22:30\",\"activationId\":728904112,"
   "\"activationTime\":\"2026-04-15 10:02:30\",\"canGetAnotherSms\":\"1\",\"countryCode\":\"7\","
   "\"currency\":643}"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_MISSING, ANY_OFF},
  /* 000 &action=getNumberV2: phoneNumber is digits; '+' belongs to 002's
   * REST dialect only */
  {"getNumberV2", "koalasms", 200, NULL, BODY("{\"activationCancel\":\"2026-04-15 10:07:30\","
   "\"activationCost\":1.49,\"activationEnd\":\"2026-04-15 10:22:30\",\"activationId\":728904112,"
   "\"activationTime\":\"2026-04-15 10:02:30\",\"canGetAnotherSms\":\"1\",\"countryCode\":\"7\","
   "\"currency\":643,\"phoneNumber\":\"+18036181752\"}"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 000 &action=getNumberV2: an RFC 3339 time where the reference sends
   * "YYYY-MM-DD HH:MM:SS" is a vendor variant */
  {"getNumberV2", "koalasms", 200, NULL, BODY("{\"activationCancel\":\"2026-04-15 10:07:30\","
   "\"activationCost\":1.49,\"activationEnd\":\"2026-04-15 10:22:30\",\"activationId\":728904112,"
   "\"activationTime\":\"2026-04-15T10:02:30Z\",\"canGetAnotherSms\":\"1\",\"countryCode\":\"7\","
   "\"currency\":643,\"phoneNumber\":\"18036181752\"}"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, ANY_OFF},
  /* 003 getCountries: an empty list says nothing (the profile's min 1) */
  {"getCountries", "smsbulk", 200, NULL, BODY("[]"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* 001 Balance inquiry: getBalance answers plain text, not JSON */
  {"getBalance", NULL, 200, NULL, BODY("{\"balance\":\"42.50\"}"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_UNEXPECTED, ANY_OFF},
  /* 001 Get a list of all services: a JSON action answered with a success
   * token */
  {"getServicesList", NULL, 200, NULL, BODY("ACCESS_BALANCE:1"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "ACCESS_BALANCE", NULL, NULL, SC_DEV_WRONG_ANSWER, 0},
  /* Found by fuzz_json: an escaped surrogate without its pair is valid
   * JSON syntax, but cJSON refuses the body (sc_parse once answered
   * SC_ERR_NOMEM for it); a JSON_SYNTAX FAIL at the escape. */
  {"getNumberV2", "koalasms", 200, NULL, BODY("{\"activationId\":\"\\ud800\"}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_SYNTAX, 17},
  {"getStatus", "koalasms", 200, NULL, BODY("{\"sms\":{\"text\":\"\\udc00\\ud800\"}}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_SYNTAX, 16},
  /* A token 001 documents in the JSON error form, sent in the
   * {"title","details"} dialect: one PROBLEM_DETAILS WARN, and not also an
   * ERROR_FORM for the same thing. */
  {"getRentStatus", NULL, 404, NULL, BODY("{\"title\":\"NO_ID_RENT\",\"details\":\"x\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_ID_RENT", NULL, NULL, SC_DEV_PROBLEM_DETAILS, 0},

  /* ---------------- null for what does not exist yet ---------------- */
  /* An 001 active activation before its SMS, as vendors send it: smsCode
   * and smsText null. No document shows null there (001's example has its
   * code) and none rules it out: WARN, never FAIL. The offset is the
   * null's. */
#define SC_ACTIVE_001(code, text) "{\"status\":\"success\",\"activeActivations\":[{" \
   "\"activationId\":\"635468021\",\"serviceCode\":\"vk\",\"phoneNumber\":\"79000000001\"," \
   "\"activationCost\":\"12.50\",\"activationStatus\":\"1\",\"smsCode\":" code "," \
   "\"smsText\":" text ",\"activationTime\":\"2022-06-01 16:59:16\",\"discount\":\"0.00\"," \
   "\"repeated\":\"0\",\"countryCode\":\"0\",\"countryName\":\"Russia\"," \
   "\"canGetAnotherSms\":\"1\",\"currency\":\"840\"}]}"
  {"getActiveActivations", NULL, 200, NULL, BODY(SC_ACTIVE_001("null", "null")),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, 174},
  /* ... the empty list and the empty string are the documented types:
   * PASS */
  {"getActiveActivations", NULL, 200, NULL, BODY(SC_ACTIVE_001("[]", "\"\"")),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  /* ... but no other filler: a string where the list belongs */
  {"getActiveActivations", NULL, 200, NULL, BODY(SC_ACTIVE_001("\"\"", "null")),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_TYPE, 174},
#undef SC_ACTIVE_001
  /* 000 &action=getActiveActivations before the SMS: without smsCode and
   * smsText PASS (the profile makes them optional), with null WARN */
  {"getActiveActivations", "koalasms", 200, NULL, BODY("[{\"activationCost\":1.10,"
   "\"activationId\":\"732845901\",\"activationStatus\":1,\"activationTime\":\"2026-04-03 16:25:40\","
   "\"canGetAnotherSms\":\"1\",\"countryCode\":\"49\",\"countryName\":\"Germany\",\"currency\":978,"
   "\"discount\":\"0.05\",\"phoneNumber\":\"4917623456789\",\"repeated\":\"0\",\"serviceCode\":\"tg\"}]"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  {"getActiveActivations", "koalasms", 200, NULL, BODY("[{\"activationCost\":1.10,"
   "\"activationId\":\"732845901\",\"activationStatus\":1,\"activationTime\":\"2026-04-03 16:25:40\","
   "\"canGetAnotherSms\":\"1\",\"countryCode\":\"49\",\"countryName\":\"Germany\",\"currency\":978,"
   "\"discount\":\"0.05\",\"phoneNumber\":\"4917623456789\",\"repeated\":\"0\",\"serviceCode\":\"tg\","
   "\"smsCode\":null,\"smsText\":null}]"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, 284},
  /* 001 Get an activation status Version 2 before an SMS or a call: sms
   * and call left out PASS, sent as null WARN (vendors do; no document
   * shows it), sent as anything else FAIL */
  {"getStatusV2", NULL, 200, NULL, BODY("{\"verificationType\":0}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
  {"getStatusV2", NULL, 200, NULL, BODY("{\"verificationType\":0,\"sms\":null,\"call\":null}"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, 28},
  {"getStatusV2", NULL, 200, NULL, BODY("{\"verificationType\":0,\"sms\":\"\",\"call\":null}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_JSON_TYPE, 28},
  /* 000 &action=getStatus, its JSON form, before the SMS */
  {"getStatus", "koalasms", 200, NULL, BODY("{\"verificationType\":1,\"sms\":null}"),
   SC_KIND_SUCCESS, SC_VERDICT_WARN, NULL, NULL, NULL, SC_DEV_JSON_VARIANT, 28},
  /* 002 GET/api/v1/activations/:id: the code is returned "if it has been
   * received"; null before then is PASS */
  {"v1.activations.get", "rest-v1", 200, "application/json",
   BODY("{\"id\":\"act_9x2k1p\",\"status\":\"received\",\"code\":null,\"received_at\":null}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},

  /* ---------------- {"status":"error","error":TOKEN} ---------------- */
  /* 001 from smsactivate.api import SMSActivateAPI: the Python sample reads
   * activations['error'] and operators['error']: PASS there */
  {"getActiveActivations", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATIONS", NULL, NULL, NO_DEV, ANY_OFF},
  {"getOperators", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"OPERATORS_NOT_FOUND\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "OPERATORS_NOT_FOUND", NULL, NULL, NO_DEV, ANY_OFF},
  {"getActiveActivations", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"BAD_KEY\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "BAD_KEY", NULL, NULL, NO_DEV, ANY_OFF},
  /* ... with a human-readable message beside it: the member that names a
   * token is the token */
  {"getActiveActivations", NULL, 200, NULL,
   BODY("{\"status\":\"error\",\"message\":\"No activations\",\"error\":\"NO_ACTIVATIONS\"}"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "NO_ACTIVATIONS", NULL, NULL, NO_DEV, ANY_OFF},
  /* ... a token getActiveActivations never answers, in the documented
   * envelope: the token is the finding */
  {"getActiveActivations", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_NUMBERS\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_NUMBERS", NULL, NULL, SC_DEV_UNDOCUMENTED_TOKEN, 0},
  /* ... and no token at all */
  {"getActiveActivations", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"Nothing found\"}"),
   SC_KIND_ERROR, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_UNKNOWN_TOKEN, 0},
  /* Elsewhere the envelope is a form no document gives: ERROR_FORM */
  {"getStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_ACTIVATION\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_ACTIVATION", NULL, NULL, SC_DEV_ERROR_FORM, 0},
  {"getNumber", "smsbulk", 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_NUMBERS\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_NUMBERS", NULL, NULL, SC_DEV_ERROR_FORM, 0},
  /* ... KoalaSMS's getActiveActivations too: 000 documents plain text */
  {"getActiveActivations", "koalasms", 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_KEY\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_KEY", NULL, NULL, SC_DEV_ERROR_FORM, 0},
  /* ... a token with fields, written as the text form writes it: the name
   * before the colon is the token (its fields are not judged here) */
  {"getNumberV2", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"WRONG_MAX_PRICE:0.50\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "WRONG_MAX_PRICE", NULL, NULL, SC_DEV_ERROR_FORM, 0},
  /* ... but a name before a colon that is no token with fields is none */
  {"getActiveActivations", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_ACTIVATIONS:1\"}"),
   SC_KIND_ERROR, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_UNKNOWN_TOKEN, 0},
  /* ... and the rent section's message form stays as it was */
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"error\":\"NO_ID_RENT\"}"),
   SC_KIND_ERROR, SC_VERDICT_WARN, "NO_ID_RENT", NULL, NULL, SC_DEV_ERROR_FORM, 0},

  /* ---------------- SQL and runtime error text ---------------- */
  /* The first deviation, whatever else is wrong (test_parse checks it is
   * devs[0]); the offset is the marker's (in JSON, the string's). */
  /* SQLite, in a JSON error of a text action */
  {"getStatus", NULL, 200, NULL, BODY("{\"error\":\"no such column: abc\"}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 9},
  /* ... after the documented ERROR_SQL, which alone is no leak */
  {"getStatus", NULL, 200, NULL, BODY("ERROR_SQL: no such table: activations"),
   SC_KIND_ERROR, SC_VERDICT_FAIL, "ERROR_SQL", NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 11},
  {"getBalance", NULL, 200, NULL, BODY("SQLITE_BUSY"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 0},
  {"getActiveActivations", NULL, 200, NULL,
   BODY("{\"status\":\"error\",\"error\":\"sqlite3.OperationalError: database is locked\"}"),
   SC_KIND_ERROR, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 26},
  /* MySQL, in 001's own rent error form */
  {"getRentStatus", NULL, 200, NULL, BODY("{\"status\":\"error\",\"message\":\"You have an error in "
   "your SQL syntax; check the manual that corresponds to your MySQL server version\"}"),
   SC_KIND_ERROR, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 28},
  {"getNumberV2", NULL, 200, NULL,
   BODY("{\"error\":\"SQLSTATE[42S22]: Column not found: 1054 Unknown column 'x' in 'field list'\"}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 9},
  /* PHP's warning printed before the answer, in its HTML form */
  {"getNumber", NULL, 200, "text/html", BODY("<br />\n<b>Warning</b>:  mysqli_connect(): "
   "(HY000/2002): Connection refused in <b>/var/www/api.php</b> on line <b>12</b><br />\n"
   "ACCESS_NUMBER:1:79990001122"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 10},
  {"getBalance", NULL, 200, NULL, BODY("PHP Fatal error:  Uncaught Error: Call to undefined "
   "function mysql_connect() in /var/www/api.php:3\nStack trace:\n#0 {main}"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 4},
  /* ... inside a field of a token that otherwise passes */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:Fatal error: Allowed memory size exhausted"),
   SC_KIND_STATUS, SC_VERDICT_FAIL, "STATUS_OK", NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 10},
  /* PostgreSQL */
  {"getStatus", NULL, 200, NULL, BODY("ERROR:  syntax error at or near \"FORM\"\nLINE 1: SELECT * FORM"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 8},
  {"v1.balance", "rest-v1", 500, "application/json",
   BODY("{\"detail\":\"relation \\\"balances\\\" does not exist\"}"),
   SC_KIND_ANY, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 10},
  /* Oracle */
  {"getBalance", NULL, 200, NULL, BODY("ORA-00942: table or view does not exist"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 0},
  /* Python */
  {"getNumber", NULL, 500, "text/plain", BODY("Traceback (most recent call last):\n"
   "  File \"/app/server.py\", line 41, in get_number\nKeyError: 'tg'"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 0},
  /* Java */
  {"getStatus", NULL, 500, NULL, BODY("java.lang.NullPointerException: id\n"
   "\tat com.example.Api.getStatus(Api.java:12)"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 0},
  /* Node.js */
  {"getBalance", NULL, 500, NULL, BODY("TypeError: balance is not a function\n"
   "    at getBalance (/app/handler.js:17:9)"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_SERVER_ERROR_TEXT, 41},
  /* Negatives: nothing here is server error text. */
  /* 001's ERROR_SQL is a documented token ("sql-server error") */
  {"getBalance", NULL, 200, NULL, BODY("ERROR_SQL"),
   SC_KIND_ERROR, SC_VERDICT_PASS, "ERROR_SQL", NULL, NULL, NO_DEV, ANY_OFF},
  /* a code that starts like Oracle's prefix, and a phone number with it */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:ORA-4471"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", "code", "ORA-4471", NO_DEV, ANY_OFF},
  {"getNumber", NULL, 200, NULL, BODY("ACCESS_NUMBER:1:ORA-79991234567"),
   SC_KIND_ANY, SC_VERDICT_FAIL, "ACCESS_NUMBER", NULL, NULL, SC_DEV_FIELD, 16},
  /* an HTML page that merely says "error" */
  {"getBalance", NULL, 500, "text/html",
   BODY("<html><body><h1>500 Internal Server Error</h1><p>error</p></body></html>"),
   SC_KIND_NOT_PROTOCOL, SC_VERDICT_FAIL, NULL, NULL, NULL, SC_DEV_HTML_BODY, 0},
  /* prose that begins like a PHP warning, in an SMS code */
  {"getStatus", NULL, 200, NULL, BODY("STATUS_OK:Warning: do not share this code"),
   SC_KIND_STATUS, SC_VERDICT_PASS, "STATUS_OK", NULL, NULL, NO_DEV, ANY_OFF},
  /* a success of the documented shape is data, not scanned: an SMS text
   * that quotes an error is the vendor's business */
  {"getStatusV2", NULL, 200, NULL,
   BODY("{\"verificationType\":0,\"sms\":{\"dateTime\":\"2022-06-01 17:30:57\","
        "\"code\":\"1234\",\"text\":\"Your code 1234. no such table: none\"}}"),
   SC_KIND_SUCCESS, SC_VERDICT_PASS, NULL, NULL, NULL, NO_DEV, ANY_OFF},
};
/* clang-format on */

#endif
