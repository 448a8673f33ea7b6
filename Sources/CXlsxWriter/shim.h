// libxlsxwriter for Swift: its API is plain C functions, so the header is all the Reports target needs.
#ifndef MUROJAAT_CXLSXWRITER_SHIM_H
#define MUROJAAT_CXLSXWRITER_SHIM_H

#include <xlsxwriter.h>

#endif
