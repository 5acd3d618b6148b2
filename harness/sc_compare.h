/* sc_compare.h — several runs' JSON reports merged into one vendor matrix. */
#ifndef SC_COMPARE_H
#define SC_COMPARE_H

#endif
