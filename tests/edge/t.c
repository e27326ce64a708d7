/* The framework's runner and checks, shared with tests/unit (every .c here is linked in). */
#include "../unit/t.c"
