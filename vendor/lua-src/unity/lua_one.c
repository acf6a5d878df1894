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


/*
** rchisel: the address of the short string at index 'idx' (NULL for any
** other value), for rchisel_callglobal's key. The caller keeps the string
** alive (anchored in the registry); Lua never moves objects.
*/
LUA_API void *rchisel_shortstr (lua_State *L, int idx) {
  const TValue *o = index2value(L, idx);
  return ttisshrstring(o) ? (void *)tsvalue(o) : NULL;
}


/*
** rchisel: the per-event call of a global function (a chisel's on_event),
** as 'lua_getglobal(L, name); lua_pcall(L, 0, 1, 0)' followed by
** 'lua_toboolean(L, -1); lua_pop(L, 1)', with less machinery: the key is a
** short string made once (no luaS_new per call); the look-up probes the
** globals' hash directly and falls back to luaV_finishget (the globals'
** metatable, as lua_getglobal) when the key is absent; the protected call
** is luaD_pcall's steps around a direct luaD_callnoyield (lua_pcallk's
** f_call; for a Lua function, its ccall and luaD_precall steps inline),
** the look-up inside it, so that an error of a '__index' metamethod is
** caught as one of the call.
** Returns the status of the call. LUA_OK: '*truth' is the truthiness of
** the first result and the stack is as before. Otherwise: the error object
** is on top of the stack, above the stack as before (as lua_pcall leaves it).
*/
static void rchisel_callglobal_f (lua_State *L, void *key) {
  const TValue *gt = getGtable(L);
  const TValue *slot;
  StkId func;
  luaD_checkstack(L, 2);
  if (luaV_fastget(L, gt, (TString *)key, slot, luaH_getshortstr)) {
    setobj2s(L, L->top.p, slot);
    L->top.p++;
  }
  else {  /* absent (or no globals table): metamethods, as lua_getglobal */
    setsvalue2s(L, L->top.p, (TString *)key);
    L->top.p++;
    luaV_finishget(L, gt, s2v(L->top.p - 1), L->top.p - 1, slot);
  }
  func = L->top.p - 1;
  if (ttisLclosure(s2v(func))) {
    /* luaD_callnoyield's steps (ccall, luaD_precall) for a Lua function */
    Proto *p = clLvalue(s2v(func))->p;
    int fsize = p->maxstacksize;
    int narg;
    CallInfo *ci;
    L->nCcalls += nyci;
    if (l_unlikely(getCcalls(L) >= LUAI_MAXCCALLS)) {
      checkstackp(L, 0, func);  /* free any use of EXTRA_STACK */
      luaE_checkcstack(L);
    }
    checkstackGCp(L, fsize, func);
    ci = prepCallInfo(L, func, 1, 0, func + 1 + fsize);
    ci->u.l.savedpc = p->code;  /* starting point */
    for (narg = 0; narg < p->numparams; narg++)
      setnilvalue(s2v(L->top.p++));  /* complete missing arguments */
    ci->callstatus = CIST_FRESH;  /* a "fresh" execute */
    luaV_execute(L, ci);
    L->nCcalls -= nyci;
  }
  else  /* C function, or a value with a '__call' metamethod (or none) */
    luaD_callnoyield(L, func, 1);
}

LUA_API int rchisel_callglobal (lua_State *L, void *key, int *truth) {
  ptrdiff_t old_top = savestack(L, L->top.p);
  CallInfo *old_ci = L->ci;
  lu_byte old_allowhooks = L->allowhook;
  ptrdiff_t old_errfunc = L->errfunc;
  l_uint32 oldnCcalls = L->nCcalls;
  struct lua_longjmp lj;
  lj.status = LUA_OK;
  lj.previous = L->errorJmp;  /* chain new error handler */
  L->errorJmp = &lj;
  L->errfunc = 0;
  LUAI_TRY(L, &lj,
    rchisel_callglobal_f(L, key);
  );
  L->errorJmp = lj.previous;  /* restore old error handler */
  L->nCcalls = oldnCcalls;
  if (l_likely(lj.status == LUA_OK)) {
    L->errfunc = old_errfunc;
    L->top.p--;  /* the one result */
    *truth = !l_isfalse(s2v(L->top.p));
    return LUA_OK;
  }
  else {  /* luaD_pcall's error steps */
    int status = lj.status;
    L->ci = old_ci;
    L->allowhook = old_allowhooks;
    status = luaD_closeprotected(L, old_top, status);
    luaD_seterrorobj(L, status, restorestack(L, old_top));
    luaD_shrinkstack(L);   /* restore stack size in case of overflow */
    L->errfunc = old_errfunc;
    return status;
  }
}
