/*
** rchisel: the whole Lua 5.4 core and standard libraries compiled as one
** translation unit, so that the C compiler can inline the small core functions
** (table lookups, string interning, stack growth checks...) into the
** interpreter loop and the C API. Same sources, same behaviour; only the
** build differs. The order puts every file's definitions after the headers.
*/
#include "lprefix.h"

/* core */
#include "lzio.c"
#include "lctype.c"
#include "lopcodes.c"
#include "lmem.c"
#include "lundump.c"
#include "ldump.c"
#include "lstate.c"
#include "lgc.c"
#include "llex.c"
#include "lcode.c"
#include "lparser.c"
#include "ldebug.c"
#include "lfunc.c"
#include "lobject.c"
#include "ltm.c"
#include "lstring.c"
#include "ltable.c"
#include "ldo.c"
#include "lvm.c"
#include "lapi.c"

/* auxiliary and standard libraries */
#include "lauxlib.c"
#include "lbaselib.c"
#include "lcorolib.c"
#include "ldblib.c"
#include "liolib.c"
#include "lmathlib.c"
#include "loadlib.c"
#include "loslib.c"
#include "lstrlib.c"
#include "ltablib.c"
#include "lutf8lib.c"
#include "linit.c"


/*
** rchisel: lua_touserdata(L, 1) for the running C function's first argument
** (evt.field's handle: once per field per event), without index2value's
** cases for pseudo-indices and upvalues. Same result: NULL for a missing
** argument (nil) and for values that are not userdata.
*/
LUA_API void *rchisel_touserdata1 (lua_State *L) {
  StkId o = L->ci->func.p + 1;
  if (o >= L->top.p)
    return NULL;
  return touserdata(s2v(o));
}
