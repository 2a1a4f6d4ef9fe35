#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU; its headers clash with Foundation's private ICU
   module ("UErrorCode has different definitions"). We never touch the ICU fields. */
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xmlreader.h>
#include <libxml/tree.h>
/* xmlFree is a global function-pointer variable, which Swift 6 rejects as shared mutable state. */
static inline void cxml_free(void *p) { xmlFree(p); }
