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
	-- %s of numbers (written from the number's text, without a Lua string)
	print("nums", string.format("%s|%-20s|%20s|%.3s|%-5.2s|%5s|%s|%s|%s", 0.012345, 1 / 3, tie, 12345, -2.5,
		#"abcd", -#"abc", 1e100, 2 ^ 63))
	-- Many decimals of every size (the shapes field values take: latencies
	-- in ms, byte rates, percentages), from a generator exact in both Luas.
	local x, line = 12345, {}
	for i = 1, 4000 do
		x = (x * 16807) % 2147483647
		local p = i % 12
		local v = (x % (10 ^ (1 + i % 14))) / (10 ^ p)
		if i % 3 == 0 then v = -v end
		line[#line + 1] = tostring(v) .. " " .. tostring(v * 1.5) .. " " .. tostring(1 / (v + 0.5))
		if #line == 8 then
			print(table.concat(line, " "))
			line = {}
		end
	end
	print(tostring(1e-4), tostring(0.0001234), tostring(99999999999999.5), tostring(12345678901234.5), tostring(-0.5), 0.1 + 0.2)
	return true
end
