//! The per-event path into Lua, on the raw Lua C API: `evt.field` as a plain
//! C function and the `on_event` call as a bare `lua_pcall`, avoiding mlua's
//! per-call wrapping (the benchmark runs chisels over millions of events).

use std::cell::Cell;
use std::ffi::{c_int, CStr};
use std::io::Write as _;
use std::panic::AssertUnwindSafe;

use mlua::{ffi, Lua, Value};

use super::shared::{Global, Shared};
use crate::fields::{EvalCtx, FType, Fid, Field, Val};

unsafe extern "C-unwind" {
    /// `lua_touserdata(l, 1)` for a C function's first argument, with fewer
    /// checks (vendor/lua-src/unity/lua_one.c).
    fn rchisel_touserdata1(l: *mut ffi::lua_State) -> *mut std::ffi::c_void;
}

thread_local! {
    /// The chisel whose callback is running (set by [`Shared::with_ctx`] / `with_state`).
    static CURRENT: Cell<*const Shared> = const { Cell::new(std::ptr::null()) };
}

/// Makes `sh` the running chisel; returns the previous one.
pub fn set_current(sh: *const Shared) -> *const Shared {
    CURRENT.with(|c| c.replace(sh))
}

/// Where [`emit_field`] sends `evt.field`'s value.
pub(super) trait FieldOut {
    /// No value.
    fn nil(&mut self);
    /// A boolean.
    fn boolean(&mut self, b: bool);
    /// A number (sysdig hands every number to Lua as a double).
    fn number(&mut self, n: f64);
    /// Text borrowed from the event or the state: the same address often
    /// holds the same text event after event.
    fn borrowed(&mut self, s: &[u8]);
    /// Text made for this call.
    fn made(&mut self, s: &[u8]);
}

/// The value `evt.field` gives for `f` at this event, sent to `out`: from
/// the registry's direct accessors (the filters' `fast_int`/`fast_str`,
/// which agree with `extract`) when they know it; text fields (evt.args,
/// evt.datetime...) and the buffer rendered into `buf`, when given, instead
/// of a new string per call; else from full extraction.
pub(super) fn emit_field(ctx: &mut EvalCtx<'_>, f: &Field, buf: Option<&mut Vec<u8>>, out: &mut impl FieldOut) {
    use crate::filter::Fast;
    match crate::fields::fast_kind(f) {
        Fast::No => {}
        Fast::Int => match crate::fields::fast_int(ctx, f) {
            None => {}
            Some(None) => return out.nil(),
            Some(Some(i)) => {
                // fast_int gives unsigned fields' values cast to i64.
                let v = if f.def.ftype == FType::Uint64 { Val::U64(i as u64) } else { Val::I64(i) };
                return emit_val(&v, f.def.ftype, out);
            }
        },
        Fast::Str => match crate::fields::fast_str(ctx, f) {
            None => {}
            Some(None) => return out.nil(),
            Some(Some(s)) => return out.borrowed(s),
        },
    }
    if let Some(buf) = buf.filter(|_| f.id == Fid::EvtBuffer || crate::fields::is_text_field(f.id)) {
        buf.clear();
        let has = if f.id == Fid::EvtBuffer { Some(buffer_text(ctx, f, buf)) } else { ctx.write_text(f, buf) };
        match has {
            Some(true) => return out.made(buf),
            Some(false) => return out.nil(),
            None => {}
        }
    }
    match ctx.extract(f) {
        Some(Val::Str(s)) => out.borrowed(s),
        Some(v) => emit_val(&v, f.def.ftype, out),
        None => out.nil(),
    }
}

/// A value of type `t` as Lua gets it.
fn emit_val(v: &Val<'_>, t: FType, out: &mut impl FieldOut) {
    match *v {
        Val::Bool(b) => out.boolean(b),
        Val::I64(i) if t == FType::Bool => out.boolean(i != 0),
        Val::U64(u) if t == FType::Bool => out.boolean(u != 0),
        Val::I64(i) => out.number(i as f64),
        Val::U64(u) => out.number(u as f64),
        Val::F64(f) => out.number(f),
        Val::Str(s) => out.made(s),
        Val::String(ref s) => out.made(s),
        Val::Ipv4(b) => {
            let mut buf = [0u8; 16];
            let n = {
                let mut w = &mut buf[..];
                let _ = write!(w, "{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
                16 - w.len()
            };
            out.made(&buf[..n]);
        }
        Val::Ipv6(b) => out.made(std::net::Ipv6Addr::from(b).to_string().as_bytes()),
    }
}

/// [`FieldOut`] onto the Lua stack of a running `evt.field`.
struct LuaOut<'a> {
    l: *mut ffi::lua_State,
    sh: &'a Shared,
}

impl FieldOut for LuaOut<'_> {
    fn nil(&mut self) {
        // SAFETY: `l` runs evt.field, which has room for its one result.
        unsafe { ffi::lua_pushnil(self.l) }
    }

    fn boolean(&mut self, b: bool) {
        // SAFETY: as `nil`.
        unsafe { ffi::lua_pushboolean(self.l, b as c_int) }
    }

    fn number(&mut self, n: f64) {
        // SAFETY: as `nil`.
        unsafe { ffi::lua_pushnumber(self.l, n) }
    }

    fn borrowed(&mut self, s: &[u8]) {
        // SAFETY: as `nil`.
        unsafe { push_str(self.l, self.sh, s) }
    }

    fn made(&mut self, s: &[u8]) {
        // SAFETY: as `nil`.
        unsafe {
            ffi::lua_pushlstring(self.l, s.as_ptr() as *const _, s.len());
        }
    }
}

/// `evt.field` on an event read ahead (see [`super::ahead`]): the value
/// the reader extracted for handle `idx`.
unsafe fn push_ahead(l: *mut ffi::lua_State, sh: &Shared, ev: &super::ahead::AheadEvt<'_>, idx: usize) {
    use super::ahead::AVal;
    unsafe {
        match idx.checked_sub(1).and_then(|i| ev.vals.get(i)) {
            Some(AVal::Bool(b)) => ffi::lua_pushboolean(l, *b as c_int),
            Some(AVal::Num(n)) => ffi::lua_pushnumber(l, *n),
            Some(AVal::Str(at, len)) => {
                let s = ev.bytes(*at, *len);
                match sh.str_cache.try_borrow_mut() {
                    Ok(mut cache) => cache.push_text(l, s),
                    Err(_) => {
                        ffi::lua_pushlstring(l, s.as_ptr() as *const _, s.len());
                    }
                }
            }
            Some(AVal::Nil) => ffi::lua_pushnil(l),
            None => {
                // A handle requested after the capture started: the reader
                // never extracted it.
                if !ev.vals.is_empty() && idx > ev.vals.len() && idx <= sh.fields.borrow().len() {
                    sh.warn_late_field();
                }
                ffi::lua_pushnil(l);
            }
        }
    }
}

/// What `evt.field` does, without touching the Lua stack on failure paths
/// other than pushing its one result. Returns false when the call is invalid
/// (no event was ever seen: sysdig raises an error).
unsafe fn field_impl(l: *mut ffi::lua_State) -> bool {
    unsafe {
        // A handle is a light userdata holding index + 1; anything else gives
        // null (0) or an address no handle has, and so nil below.
        let idx = rchisel_touserdata1(l) as usize;
        let sh = CURRENT.with(|c| c.get());
        if sh.is_null() {
            return false;
        }
        // SAFETY: CURRENT points to the Shared of the chisel whose callback is
        // running; it outlives the call.
        let sh = &*sh;
        let Some(ctx) = sh.ctx() else {
            if let Some(ev) = sh.ahead() {
                push_ahead(l, sh, ev, idx);
                return true;
            }
            if !sh.seen_event.get() {
                return false;
            }
            ffi::lua_pushnil(l);
            return true;
        };
        let Ok(fields) = sh.fields.try_borrow() else {
            ffi::lua_pushnil(l);
            return true;
        };
        let Some(f) = idx.checked_sub(1).and_then(|i| fields.get(i)) else {
            ffi::lua_pushnil(l);
            return true;
        };
        // Text fields are written into one reused buffer (unless a callback
        // of ours already holds it: then they are extracted).
        let mut text = sh.format_buf.try_borrow_mut().ok();
        emit_field(ctx, f, text.as_deref_mut(), &mut LuaOut { l, sh });
        true
    }
}

/// Pushes a string through the chisel's [`StrCache`].
#[inline]
unsafe fn push_str(l: *mut ffi::lua_State, sh: &Shared, s: &[u8]) {
    unsafe {
        match sh.str_cache.try_borrow_mut() {
            Ok(mut cache) => cache.push(l, s),
            Err(_) => {
                ffi::lua_pushlstring(l, s.as_ptr() as *const _, s.len());
            }
        }
    }
}

/// Slots of the [`StrCache`] (a power of two; each is an upvalue of
/// `evt.field`, at most 255).
const STR_SLOTS: usize = 128;
/// Longer texts are pushed as they are (comparing them costs more).
const STR_CACHE_MAX: usize = 48;

/// The Lua strings `evt.field` pushed lately, by the address of the text
/// they were made from: the same process name, fd name or event type comes
/// back event after event, and pushing a kept Lua string skips the hashing
/// and interning of `lua_pushlstring`. A hit needs equal bytes, so a reused
/// address with other text only misses. Slot `i`'s Lua string is upvalue
/// `i + 1` of `evt.field` ([`make_evt_field`]).
pub struct StrCache {
    /// Length of each slot's text (`u8::MAX`: empty slot).
    lens: [u8; STR_SLOTS],
    /// Each slot's text.
    text: Box<[[u8; STR_CACHE_MAX]; STR_SLOTS]>,
}

impl Default for StrCache {
    fn default() -> Self {
        StrCache { lens: [u8::MAX; STR_SLOTS], text: Box::new([[0; STR_CACHE_MAX]; STR_SLOTS]) }
    }
}

impl StrCache {
    /// Pushes `s` as a Lua string, from the cache when it is there.
    ///
    /// # Safety
    /// `l` runs `evt.field` (the closure whose upvalues are the slots).
    #[inline]
    unsafe fn push(&mut self, l: *mut ffi::lua_State, s: &[u8]) {
        unsafe {
            if s.len() > STR_CACHE_MAX {
                ffi::lua_pushlstring(l, s.as_ptr() as *const _, s.len());
                return;
            }
            let slot = ((s.as_ptr() as usize as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize % STR_SLOTS;
            self.push_slot(l, s, slot);
        }
    }

    /// Pushes `s` from slot `slot`, or as a new string then kept there.
    ///
    /// # Safety
    /// As [`StrCache::push`]; `s` is at most [`STR_CACHE_MAX`] bytes.
    #[inline]
    unsafe fn push_slot(&mut self, l: *mut ffi::lua_State, s: &[u8], slot: usize) {
        unsafe {
            let up = ffi::lua_upvalueindex(slot as c_int + 1);
            let text = &mut self.text[slot];
            if self.lens[slot] as usize == s.len() && same_bytes(&text[..s.len()], s) {
                ffi::lua_pushvalue(l, up);
                return;
            }
            ffi::lua_pushlstring(l, s.as_ptr() as *const _, s.len());
            ffi::lua_pushvalue(l, -1);
            ffi::lua_replace(l, up);
            text[..s.len()].copy_from_slice(s);
            self.lens[slot] = s.len() as u8;
        }
    }

    /// [`StrCache::push`] for text whose address says nothing (read-ahead
    /// values live in a new place for each event): the slot is chosen by
    /// the text's length and first and last bytes.
    ///
    /// # Safety
    /// As [`StrCache::push`].
    #[inline]
    unsafe fn push_text(&mut self, l: *mut ffi::lua_State, s: &[u8]) {
        unsafe {
            if s.len() > STR_CACHE_MAX || s.is_empty() {
                ffi::lua_pushlstring(l, s.as_ptr() as *const _, s.len());
                return;
            }
            let edge = |i: usize| {
                let mut w = [0u8; 8];
                let n = s.len().min(8);
                w[..n].copy_from_slice(&s[i..i + n]);
                u64::from_ne_bytes(w)
            };
            let key = edge(0) ^ edge(s.len() - s.len().min(8)).rotate_left(29) ^ s.len() as u64;
            let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57) as usize % STR_SLOTS;
            self.push_slot(l, s, slot);
        }
    }
}

/// `a == b` for the short texts of the [`StrCache`], eight bytes a step
/// (the last step overlapping), without a call to memcmp.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        if n >= 4 {
            let w = |s: &[u8], i: usize| u32::from_ne_bytes(s[i..i + 4].try_into().unwrap_or([0; 4]));
            return w(a, 0) == w(b, 0) && w(a, n - 4) == w(b, n - 4);
        }
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let word = |s: &[u8], i: usize| u64::from_ne_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// `evt.field` as a Lua function: [`evt_field`] with its string cache
/// slots (see [`StrCache`]) as upvalues.
pub fn make_evt_field(lua: &Lua) -> mlua::Result<mlua::Function> {
    // SAFETY: pushes STR_SLOTS nils and makes them the upvalues of one C
    // closure, which exec_raw hands back (the stack is checked for room
    // first).
    unsafe {
        lua.exec_raw((), |l| {
            if ffi::lua_checkstack(l, STR_SLOTS as c_int + 1) == 0 {
                return;
            }
            for _ in 0..STR_SLOTS {
                ffi::lua_pushnil(l);
            }
            ffi::lua_pushcclosure(l, evt_field, STR_SLOTS as c_int);
        })
    }
}

/// Appends the text chisels get for `evt.buffer` (field `f`): outside
/// filters, sysdig hands out the buffer rendered in the current buffer
/// format (evt->get_param_value_str("data")). False when there is none.
pub(super) fn buffer_text(ctx: &mut crate::fields::EvalCtx<'_>, f: &crate::fields::Field, out: &mut Vec<u8>) -> bool {
    let opts = ctx.scratch.render;
    match ctx.extract(f).as_ref().and_then(|v| v.as_bytes()) {
        Some(b) => {
            crate::event::render::push_buffer(out, b, &opts);
            true
        }
        None => false,
    }
}

/// `evt.field(handle)`.
pub unsafe extern "C-unwind" fn evt_field(l: *mut ffi::lua_State) -> c_int {
    unsafe {
        // The result is whatever is on top of the stack when returning 1, so
        // the arguments need not be popped (no lua_gettop/settop per call).
        let ok = std::panic::catch_unwind(AssertUnwindSafe(|| field_impl(l)));
        match ok {
            Ok(true) => 1,
            Ok(false) => {
                // Nothing was pushed on this path.
                eprintln!("invalid call to evt.field()");
                ffi::lua_pushstring(l, c"C++ exception".as_ptr());
                // No Rust value with a destructor is alive in this frame.
                ffi::lua_error(l)
            }
            Err(_) => {
                ffi::lua_pushnil(l);
                1
            }
        }
    }
}

/// Switches the state's collector to generational mode (default parameters).
pub fn generational_gc(lua: &Lua) {
    let state = lua.exec_raw_lua(|raw| raw.state());
    // SAFETY: a collector setting on the state mlua owns; no stack change.
    unsafe {
        ffi::lua_gc(state, ffi::LUA_GCGEN, 0, 0);
    }
}

/// The per-event call of a global function (`on_event`): as
/// `lua_getglobal` + `lua_pcall(0 arguments, 1 result)` + `lua_toboolean`,
/// in one C call (`rchisel_callglobal`, vendor/lua-src/unity/lua_one.c):
/// the name is a Lua string made once, probed in the globals' hash directly
/// (their metatable is consulted when it is absent, as `lua_getglobal`
/// does), and the protected call has none of `lua_pcallk`'s wrapping. The
/// function is still looked up on every call, since a chisel may replace it.
pub struct GlobalCall {
    state: *mut ffi::lua_State,
    /// The name's Lua short string (anchored in the registry).
    key: *mut std::ffi::c_void,
}

unsafe extern "C-unwind" {
    /// The short string at `idx`, or null for any other value.
    fn rchisel_shortstr(l: *mut ffi::lua_State, idx: c_int) -> *mut std::ffi::c_void;
    /// Protected look-up and call of global `key` with no arguments and one
    /// result: `LUA_OK` with the result's truthiness in `truth` (stack as
    /// before), or an error status with the error object pushed.
    fn rchisel_callglobal(l: *mut ffi::lua_State, key: *mut std::ffi::c_void, truth: *mut c_int) -> c_int;
}

impl GlobalCall {
    /// Prepares calls of global `name` in `lua` (a name of at most 40 bytes:
    /// Lua's short strings).
    pub fn new(lua: &Lua, name: &CStr) -> GlobalCall {
        let state = lua.exec_raw_lua(|raw| raw.state());
        // SAFETY: balanced stack operations on the main state mlua owns: the
        // name is pushed, its address read, and the registry reference pops
        // it and keeps it alive as long as the state (Lua never moves
        // objects, so the address stays valid).
        let key = unsafe {
            ffi::lua_pushstring(state, name.as_ptr());
            let key = rchisel_shortstr(state, -1);
            ffi::luaL_ref(state, ffi::LUA_REGISTRYINDEX);
            key
        };
        assert!(!key.is_null(), "GlobalCall name {name:?} is not a Lua short string");
        GlobalCall { state, key }
    }

    /// Calls the function (`lua` must be the state given to [`GlobalCall::new`]).
    #[inline]
    pub fn call(&self, lua: &Lua) -> Result<bool, String> {
        let mut truth: c_int = 0;
        // SAFETY: `state` belongs to `lua`, alive for this call, and is not
        // running (the host calls between events); `key` is the anchored
        // short string; the C side leaves the stack as it was on success
        // and catches every error of the look-up and of the call.
        unsafe {
            if rchisel_callglobal(self.state, self.key, &mut truth) == ffi::LUA_OK {
                return Ok(truth != 0);
            }
            Err(take_error(lua, self.state))
        }
    }
}

/// The message of the error object on top of the stack, which is popped.
///
/// # Safety
/// `state` is `lua`'s main state, not running, with a value pushed.
unsafe fn take_error(lua: &Lua, state: *mut ffi::lua_State) -> String {
    unsafe {
        // Hand the error value to mlua to get its message (a raw set: the
        // globals' metamethods are not run).
        ffi::lua_rawgeti(state, ffi::LUA_REGISTRYINDEX, ffi::LUA_RIDX_GLOBALS);
        ffi::lua_pushstring(state, c"__rchisel_error".as_ptr());
        ffi::lua_pushvalue(state, -3);
        ffi::lua_rawset(state, -3);
        ffi::lua_settop(state, -3);
        let g = lua.globals();
        let v: Value = g.raw_get("__rchisel_error").unwrap_or(Value::Nil);
        let _ = g.raw_set("__rchisel_error", Value::Nil);
        match v {
            Value::String(s) => s.to_string_lossy(),
            Value::Error(e) => super::loaded::lua_msg(&e),
            other => format!("(error object is a {} value)", other.type_name()),
        }
    }
}

/// Lua's `print`, writing to the run's output buffer (upvalue 1: the
/// [`Global`], as a light userdata). As LuaJIT's: strings and numbers are
/// taken as they are, other values through the global `tostring`.
pub unsafe extern "C-unwind" fn print(l: *mut ffi::lua_State) -> c_int {
    unsafe {
        let n = ffi::lua_gettop(l);
        // Values that need `tostring` are converted first, in place: that may
        // raise a Lua error, so no Rust value may be alive here.
        for i in 1..=n {
            let t = ffi::lua_type(l, i);
            if t != ffi::LUA_TSTRING && t != ffi::LUA_TNUMBER && t != ffi::LUA_TNIL && t != ffi::LUA_TBOOLEAN {
                ffi::lua_getglobal(l, c"tostring".as_ptr());
                ffi::lua_pushvalue(l, i);
                ffi::lua_call(l, 1, 1);
                if ffi::lua_type(l, -1) != ffi::LUA_TSTRING {
                    ffi::lua_pushstring(l, c"'tostring' must return a string to 'print'".as_ptr());
                    ffi::lua_error(l);
                }
                ffi::lua_replace(l, i);
            }
        }
        let g = ffi::lua_touserdata(l, ffi::lua_upvalueindex(1)) as *const Global;
        // SAFETY: the Global outlives the Lua state (the chisel holds both).
        let ok = match g.as_ref() {
            None => true,
            Some(g) => {
                {
                    let mut out = g.out.borrow_mut();
                    for i in 1..=n {
                        if i > 1 {
                            out.push(b'\t');
                        }
                        match ffi::lua_type(l, i) {
                            ffi::LUA_TNIL => out.extend_from_slice(b"nil"),
                            ffi::LUA_TBOOLEAN => {
                                out.extend_from_slice(if ffi::lua_toboolean(l, i) != 0 { b"true" } else { b"false" })
                            }
                            _ => {
                                let mut len = 0usize;
                                let p = ffi::lua_tolstring(l, i, &mut len);
                                if !p.is_null() {
                                    out.extend_from_slice(std::slice::from_raw_parts(p as *const u8, len));
                                }
                            }
                        }
                    }
                    out.push(b'\n');
                }
                g.wrote().is_ok()
            }
        };
        if !ok {
            ffi::lua_pushstring(l, c"cannot write the chisel output".as_ptr());
            ffi::lua_error(l);
        }
        0
    }
}

/// Installs [`print`] as the global `print`, bound to `global`.
pub fn install_print(lua: &Lua, global: &std::rc::Rc<Global>) {
    let state = lua.exec_raw_lua(|raw| raw.state());
    // SAFETY: balanced stack operations on the state mlua owns.
    unsafe {
        ffi::lua_pushlightuserdata(state, std::rc::Rc::as_ptr(global) as *mut std::ffi::c_void);
        ffi::lua_pushcclosure(state, print, 1);
        ffi::lua_setglobal(state, c"print".as_ptr());
    }
}

/// `evt.format(handle)`: the current event rendered with a format from
/// `chisel.request_format`, or nil when one of its fields is missing.
pub unsafe extern "C-unwind" fn evt_format(l: *mut ffi::lua_State) -> c_int {
    unsafe {
        let idx = if ffi::lua_type(l, 1) == ffi::LUA_TLIGHTUSERDATA { ffi::lua_touserdata(l, 1) as usize } else { 0 };
        let sh = CURRENT.with(|c| c.get());
        let ok = std::panic::catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: as in field_impl.
            let Some(sh) = sh.as_ref() else { return false };
            let Some(ctx) = sh.ctx() else { return false };
            let (Ok(formats), Ok(mut buf)) = (sh.formats.try_borrow(), sh.format_buf.try_borrow_mut()) else {
                return false;
            };
            let Some(f) = idx.checked_sub(1).and_then(|i| formats.get(i)) else { return false };
            if !f.render(ctx, &mut buf) {
                return false;
            }
            ffi::lua_pushlstring(l, buf.as_ptr() as *const _, buf.len());
            true
        }));
        if !matches!(ok, Ok(true)) {
            ffi::lua_pushnil(l);
        }
        1
    }
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn same_bytes_is_slice_equality() {
        let text = b"/usr/lib/x86_64-linux-gnu/libc.so.6 and some more bytes";
        for n in 0..48 {
            let a = &text[..n];
            assert!(same_bytes(a, a), "{n}");
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 0x20;
                assert!(!same_bytes(a, &b), "{n} {i}");
            }
            if n > 0 {
                assert!(!same_bytes(a, &text[..n - 1]), "{n}");
            }
        }
    }
}
