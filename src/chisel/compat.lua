-- Lua 5.1 / LuaJIT compatibility for chisels written for sysdig's LuaJIT.
unpack = unpack or table.unpack
table.unpack = table.unpack or unpack
loadstring = loadstring or function(s, name) return load(s, name) end
table.getn = table.getn or function(t) return #t end
table.maxn = table.maxn or function(t)
  local m = 0
  for k in pairs(t) do if type(k) == "number" and k > m then m = k end end
  return m
end
math.pow = math.pow or function(a, b) return a ^ b end
math.mod = math.mod or math.fmod
math.log10 = math.log10 or function(x) return math.log(x, 10) end
string.gfind = string.gfind or string.gmatch
if setfenv == nil then
  setfenv = function(f, env)
    if type(f) == "number" then return env end
    local i = 1
    while true do
      local name = debug and debug.getupvalue and debug.getupvalue(f, i)
      if name == "_ENV" then debug.upvaluejoin(f, i, function() return env end, 1) break
      elseif not name then break end
      i = i + 1
    end
    return f
  end
end
if getfenv == nil then
  getfenv = function(f) return _G end
end
-- LuaJIT's bit library (32-bit signed results).
if bit == nil then
  local function norm(x)
    x = math.floor(x) & 0xffffffff
    if x >= 0x80000000 then x = x - 0x100000000 end
    return x
  end
  bit = {
    tobit = norm,
    band = function(a, ...) local r = a for _, v in ipairs({...}) do r = r & v end return norm(r) end,
    bor = function(a, ...) local r = a for _, v in ipairs({...}) do r = r | v end return norm(r) end,
    bxor = function(a, ...) local r = a for _, v in ipairs({...}) do r = r ~ v end return norm(r) end,
    bnot = function(a) return norm(~math.floor(a)) end,
    lshift = function(a, n) return norm((math.floor(a) & 0xffffffff) << (n % 32)) end,
    rshift = function(a, n) return norm((math.floor(a) & 0xffffffff) >> (n % 32)) end,
    arshift = function(a, n) return norm(norm(a) >> (n % 32) | (norm(a) < 0 and ~(0xffffffff >> (n % 32)) or 0)) end,
    tohex = function(a, n) n = n or 8 return string.format("%0" .. n .. "x", math.floor(a) & 0xffffffff):sub(-n) end,
  }
end
-- string.format's LuaJIT behaviours (ties of "%.Nf" rounded away from zero,
-- integer conversions of out-of-range floats giving the minimum integer) are
-- in the vendored lstrlib.c: a Lua wrapper cost every call a pcall.
-- LuaJIT's table.insert(t, pos, v) accepts any integer position: past the
-- end it just stores t[pos] = v; below 1 it shifts t[pos..#t] up by one.
do
  local tinsert = table.insert
  local tointeger = math.tointeger
  table.insert = function(t, ...)
    if select("#", ...) == 2 then
      local pos, v = ...
      local p = type(pos) == "number" and tointeger(pos) or nil
      if p ~= nil then
        local len = #t
        if p < 1 or p > len + 1 then
          for i = len + 1, p + 1, -1 do t[i] = t[i - 1] end
          t[p] = v
          return
        end
      end
    end
    return tinsert(t, ...)
  end
end
