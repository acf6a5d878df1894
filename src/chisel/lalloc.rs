//! A size-class allocator for the chisels' Lua states.
//!
//! Chisels make and drop a few small objects per event (field strings,
//! formatted lines, concatenations); with the C library's malloc/free behind
//! mlua's accounting allocator those cost ~150 instructions a block. Here
//! blocks up to [`MAX_SMALL`] bytes come from per-size free lists carved out
//! of one reserved address range; larger ones, and blocks allocated before
//! the switch (by mlua's allocator, which is malloc-compatible: Rust's system
//! allocator), go to malloc/realloc/free. One pool per thread, shared by the
//! thread's states (a Lua state never leaves its thread).

use std::cell::Cell;
use std::ffi::c_void;

use mlua::{ffi, Lua};

/// Granularity of the size classes (and the blocks' alignment).
const GRAIN: usize = 16;
/// Largest block served from the pool.
const MAX_SMALL: usize = 512;
const NCLASS: usize = MAX_SMALL / GRAIN;
/// Address space reserved per thread (pages are only backed when used).
const REGION: usize = 4 << 30;

struct Pool {
    /// Head of each class's free list (next pointer in the block's first word).
    free: [*mut u8; NCLASS],
    /// Next never-used byte of the region, and its end.
    bump: *mut u8,
    end: *mut u8,
    lo: usize,
    hi: usize,
}

thread_local! {
    static POOL: Cell<*mut Pool> = const { Cell::new(std::ptr::null_mut()) };
}

/// The thread's pool, reserved on first use; null when the reservation fails.
fn thread_pool() -> *mut Pool {
    POOL.with(|p| {
        if p.get().is_null() {
            // SAFETY: an anonymous private mapping, never unmapped (its blocks
            // may be in use until the thread's states are closed).
            let base = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    REGION,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                    -1,
                    0,
                )
            };
            if base == libc::MAP_FAILED {
                return std::ptr::null_mut();
            }
            let base = base as *mut u8;
            let pool = Box::new(Pool {
                free: [std::ptr::null_mut(); NCLASS],
                bump: base,
                // SAFETY: one past the end of the mapping.
                end: unsafe { base.add(REGION) },
                lo: base as usize,
                hi: base as usize + REGION,
            });
            p.set(Box::into_raw(pool));
        }
        p.get()
    })
}

#[inline]
fn class(size: usize) -> usize {
    (size - 1) / GRAIN
}

impl Pool {
    #[inline]
    fn owns(&self, p: *mut c_void) -> bool {
        let a = p as usize;
        a >= self.lo && a < self.hi
    }

    /// A block of `size` (1..=MAX_SMALL) bytes, or null when the region is used up.
    #[inline]
    unsafe fn take(&mut self, size: usize) -> *mut u8 {
        let c = class(size);
        let head = self.free[c];
        if !head.is_null() {
            // SAFETY: a free block holds the next free block's address.
            self.free[c] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        let bytes = (c + 1) * GRAIN;
        if (self.end as usize) - (self.bump as usize) < bytes {
            return std::ptr::null_mut();
        }
        let b = self.bump;
        // SAFETY: stays within the mapping (checked above).
        self.bump = unsafe { b.add(bytes) };
        b
    }

    #[inline]
    unsafe fn give(&mut self, p: *mut u8, size: usize) {
        let c = class(size);
        // SAFETY: the block is ours, at least GRAIN bytes and aligned.
        unsafe { *(p as *mut *mut u8) = self.free[c] };
        self.free[c] = p;
    }

    unsafe fn alloc(&mut self, size: usize) -> *mut c_void {
        if size <= MAX_SMALL {
            // SAFETY: size is in 1..=MAX_SMALL.
            let b = unsafe { self.take(size) };
            if !b.is_null() {
                return b as *mut c_void;
            }
        }
        // SAFETY: plain malloc.
        unsafe { libc::malloc(size) }
    }
}

/// The `lua_Alloc` function (`ud` is the thread's [`Pool`]).
unsafe extern "C" fn pool_alloc(ud: *mut c_void, ptr: *mut c_void, osize: usize, nsize: usize) -> *mut c_void {
    // SAFETY: ud is the leaked pool of this thread (states stay on their thread).
    let pool = unsafe { &mut *(ud as *mut Pool) };
    unsafe {
        if ptr.is_null() {
            // osize is the object's type here, not a size.
            if nsize == 0 {
                return std::ptr::null_mut();
            }
            return pool.alloc(nsize);
        }
        if !pool.owns(ptr) {
            // malloc's block (large, or from before the switch).
            if nsize == 0 {
                libc::free(ptr);
                return std::ptr::null_mut();
            }
            return libc::realloc(ptr, nsize);
        }
        if nsize == 0 {
            pool.give(ptr as *mut u8, osize);
            return std::ptr::null_mut();
        }
        if nsize <= MAX_SMALL && class(nsize) == class(osize) {
            return ptr;
        }
        let n = pool.alloc(nsize);
        if n.is_null() {
            // Lua keeps the old block when a reallocation fails.
            return std::ptr::null_mut();
        }
        std::ptr::copy_nonoverlapping(ptr as *const u8, n as *mut u8, osize.min(nsize));
        pool.give(ptr as *mut u8, osize);
        n
    }
}

/// Makes `lua` allocate through the thread's pool (nothing changes when the
/// address range cannot be reserved). Call right after creating the state.
pub fn install(lua: &Lua) {
    let pool = thread_pool();
    if pool.is_null() {
        return;
    }
    let state = lua.exec_raw_lua(|raw| raw.state());
    // SAFETY: the pool outlives every state of its thread; blocks allocated
    // so far are malloc-compatible and are freed or resized with libc.
    unsafe { ffi::lua_setallocf(state, pool_alloc, pool as *mut c_void) };
}

#[cfg(test)]
mod tests {
    #[test]
    fn lua_runs_on_the_pool_allocator() {
        let lua = mlua::Lua::new();
        lua.load("x = {} for i = 1, 2000 do x[i] = ('v'):rep(i % 700) .. i end").exec().unwrap();
        super::install(&lua);
        let n: i64 = lua
            .load(
                "local t = {} for i = 1, 20000 do t[#t + 1] = ('k'):rep(i % 900) .. i end \
                 for i = 1, #x, 2 do x[i] = nil end collectgarbage() \
                 local s = 0 for i = 1, #t do s = s + #t[i] end for k, v in pairs(x) do s = s + #v end return s",
            )
            .eval()
            .unwrap();
        let mut want = 0i64;
        for i in 1..=20000i64 {
            want += i % 900 + i.to_string().len() as i64;
        }
        for i in (2..=2000i64).step_by(2) {
            want += i % 700 + i.to_string().len() as i64;
        }
        assert_eq!(n, want);
    }
}
