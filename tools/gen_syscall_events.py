#!/usr/bin/env python3
"""Regenerates src/source/live/syscall_events.rs: x86_64 syscall number -> the
enter event type libs' drivers emit for it.

usage: gen_syscall_events.py LIBS_GIT_DIR > src/source/live/syscall_events.rs
Reads driver/syscall_table.c and driver/ppm_events_public.h at the libs
repository's HEAD, and the kernel's x86_64 numbers from
/usr/include/x86_64-linux-gnu/asm/unistd_64.h."""
import re, subprocess, sys

libs = sys.argv[1]
show = lambda p: subprocess.run(["git", "-C", libs, "show", "HEAD:" + p], capture_output=True, text=True, check=True).stdout
enum = {m.group(1): int(m.group(2)) for m in re.finditer(r"\b(PPME_\w+)\s*=\s*(\d+)", show("driver/ppm_events_public.h"))}
nrs = {m.group(1): int(m.group(2)) for m in
       re.finditer(r"#define __NR_(\w+)\s+(\d+)", open("/usr/include/x86_64-linux-gnu/asm/unistd_64.h").read())}
rows = re.findall(r"\[__NR_(\w+)\s*-\s*SYSCALL_TABLE_ID0\]\s*=\s*\{[^,]*,\s*(PPME_\w+)\s*,\s*(PPME_\w+)\s*,\s*(PPM_SC_\w+)",
                  show("driver/syscall_table.c"))
out = {}
for name, e, _x, _sc in rows:
    if name in nrs and e in enum:
        out.setdefault(nrs[name], enum[e])
print("""//! x86_64 syscall number -> the enter event type falcosecurity/libs' drivers
//! emit for it (0 = a generic event). Facts from libs HEAD
//! driver/syscall_table.c and driver/ppm_events_public.h, with the kernel's
//! x86_64 syscall numbers; regenerate with tools/gen_syscall_events.py.

/// (syscall number, enter event type), sorted by syscall number.
pub const SYSCALL_ENTER_EVENT: &[(u16, u16)] = &[""")
line = "    "
for nr, et in sorted(out.items()):
    item = f"({nr}, {et}), "
    if len(line) + len(item) > 118:
        print(line.rstrip())
        line = "    "
    line += item
print(line.rstrip())
print("];")
