/* toolstack/xl_fmt.c, compiled here so that libFuzzer instruments it (a
 * second object of the same source path would clash with the unit test). */
#include "xl_fmt.c"
