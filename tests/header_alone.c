/* The public header compiles alone with -std=c99 -pedantic -Werror. */
#include <hvdetect.h>
int hvd_header_alone_dummy(void);
int hvd_header_alone_dummy(void) { return HVD_VERSION_MAJOR; }
