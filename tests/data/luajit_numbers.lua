-- Numbers as sysdig's LuaJIT prints and formats them (tests/chisel_host.rs
-- runs this chisel under rchisel and sysdig and compares the output).
description = "LuaJIT number behaviours"
short_description = "LuaJIT numbers"
category = "misc"
args = {}
local tie = 2 ^ -21 -- 4.76837158203125e-07: an exact tie at the 15th digit
function on_init()
	print("tostring", tostring(tie), tostring(-tie), tie .. "", string.format("%s", tie), 2 ^ 53, 7 / 2, 1e15 / 3)
	print(tie, -tie, 3 * tie, 1 / 3, 100, 1e100, -0.0)
	print("format", string.format("%.2f %.2f %.1f %.0f %.3f %5.2f %.2f", 10.625, -10.625, 0.25, 2.5, 1.0005, 0.125, 3))
	print("int", string.format("%d %d %x %d", 2.5, -2.5, 255.9, 1e30))
	print("str", string.format("%s|%5s|%-5s|%.2s", "abc", "ab", "ab", "abc"))
	return true
end
