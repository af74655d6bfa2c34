/* status.h -- status codes shared by every module; the CLI turns them into
 * exit codes, so their values are the documented exit codes (sysexits.h). */
#ifndef FLEETCAST_STATUS_H
#define FLEETCAST_STATUS_H

#if defined(__GNUC__)
#define FC_MUST_CHECK __attribute__((warn_unused_result))
#define FC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FC_MUST_CHECK
#define FC_PRINTF(a, b)
#endif

typedef enum fc_status {
    FC_OK = 0,
    FC_EUSAGE = 64,     /* bad command line */
    FC_EDATA = 65,      /* input data is wrong */
    FC_ENOINPUT = 66,   /* input file missing or unreadable */
    FC_EINTERNAL = 70,  /* a bug, or out of memory */
    FC_ECANTCREAT = 73, /* cannot create an output file */
    FC_EIO = 74,        /* read or write error during I/O */
    FC_ELOCKED = 75,    /* another run holds the output folder: try again later */
    FC_ENOCONV = 79     /* a model fit did not converge */
} fc_status;

/* A short lower-case name for a status ("bad data", "no input", ...). */
const char *fc_status_name(int status);

#endif
