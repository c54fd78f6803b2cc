#ifndef HERALD_CLIBXML2_SHIM_H
#define HERALD_CLIBXML2_SHIM_H

// libxml2 (2.9.x and later) as used by HeraldValidation: the XML and HTML
// parsers, their structured errors, and the tree they build.

#include <libxml/xmlversion.h>

// Debian builds libxml2 with ICU, so <libxml/encoding.h> would include the
// system's <unicode/ucnv.h>. Foundation on Linux ships its own ICU headers
// (module _FoundationICU), and a Swift module importing both Foundation and
// this one then fails with "'UErrorCode' has different definitions in
// different modules". The ICU types appear only in trailing fields of
// xmlCharEncodingHandler, which Swift code never allocates or reads (it only
// sees pointers to it), so leaving them out is safe.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>

#endif
