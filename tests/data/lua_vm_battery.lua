description = "Lua VM battery (vendored Lua)"; short_description = "vm battery"; category = "misc"; args = {}
function on_init()
  -- results adjustment of C calls: 0, 1, many
  local a, b, c = string.byte("xyz", 1, 3); print(a, b, c)
  local t = {string.byte("abcd", 1, -1)}; print(#t)
  print(select("#", math.max(1, 2)), (string.find("hello", "l")))
  local function f() return string.byte("ab", 1, 2) end
  print(f())
  -- globals nil read/set, with and without _ENV metatable
  undefined_x = nil; print(undefined_x); undefined_x = 5; print(undefined_x); undefined_x = nil; undefined_x = 7; print(undefined_x)
  local log = {}
  setmetatable(_G, {__index = function(t, k) log[#log+1] = "get " .. k; return "dflt" end,
                    __newindex = function(t, k, v) log[#log+1] = "set " .. k; rawset(t, k, v) end})
  print(zz_missing); zz_new = 3; print(zz_new); zz_new = nil; print(zz_new); zz_new = 4; print(zz_new)
  setmetatable(_G, nil)
  print(table.concat(log, ","))
  -- float comparisons
  local nan = 0/0
  print(1.5 < 2.5, 2.5 < 1.5, nan < 1.0, 1.0 < nan, nan <= nan, -0.0 < 0.0, 1 < 1.5, 1.5 < 2, math.huge > 1e308, 2^53 < 2^53 + 1)
  print(1.5 <= 1.5, 3 <= 2.5, "a" < "b", pcall(function() return {} < {} end))
  -- tostring of numbers, with and without a number metatable
  print(tostring(12), tostring(-3.0), tostring(2^63), tostring(1e100), tostring(0.1), tostring(-0.0), tostring(123456789012345))
  print(tostring(12), string.format("%d|%5d|%-5d|%05d|%.3d|%d", 0, -7, 42, -42, 5, math.mininteger))
  print(string.format("%d %d %d %d", 9, 10, 99, 100), string.format("%.0d|%.0d|%3.0d|", 0, 1, 0))
  -- many globals (sparse globals table growth) and pairs over them
  for i = 1, 3000 do _G["g_" .. i] = i end
  local cnt, sum = 0, 0
  for k, v in pairs(_G) do if type(k) == "string" and k:sub(1,2) == "g_" then cnt = cnt + 1; sum = sum + v end end
  print("globals", cnt, sum, g_1, g_3000, g_3001)
  for i = 1, 3000 do _G["g_" .. i] = nil end
  cnt = 0; for k in pairs(_G) do if type(k) == "string" and k:sub(1,2) == "g_" then cnt = cnt + 1 end end
  print("after", cnt, next({}))
  -- short string interning of varied lengths
  local parts = {}
  for l = 0, 45 do parts[#parts+1] = string.rep("q", l) == ("q"):rep(l) end
  local allok = true; for _, v in ipairs(parts) do allok = allok and v end
  print("intern", allok, ("abcdefgh" .. "ijklmnop") == "abcdefghijklmnop", ("x"):rep(40) == ("x"):rep(39) .. "x")
  -- errors raised from C functions called inline keep messages
  print(pcall(string.rep)); print(pcall(string.format, "%d", "x")); print(select(2, pcall(function() local t = nil; return t.x end)))
  -- coroutines yielding across C calls
  local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1); return b * 2 end)
  print(co(1), co(10))
  print(pcall(coroutine.wrap(function() return table.unpack({1, 2, 3}) end)))
  return false
end
