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
-- LuaJIT rounds exact decimal ties of "%.Nf" away from zero ("%.2f" of
-- 10.625 is "10.63"); C's printf rounds them to even ("10.62"). Nudge such
-- values one ulp away from zero before formatting.
do
  local format = string.format
  local find, sub, rep, gsub = string.find, string.sub, string.rep, string.gsub
  local mtype = math.type
  local zeros = rep("0", 39)
  local function tie_fix(spec, x)
    if mtype(x) ~= "float" or x ~= x or x == math.huge or x == -math.huge then return x end
    local dot = find(spec, ".", 1, true)
    local prec = 6
    if dot then prec = tonumber(string.match(spec, "^%.(%d*)", dot)) or 0 end
    local long = format("%." .. (prec + 40) .. "f", x)
    if sub(long, -40) == "5" .. zeros then
      return x + x * 2.220446049250313e-16
    end
    return x
  end
  local function fix_args(fmt, args, ties)
    local i = 0
    local changed = false
    for spec, conv in string.gmatch(fmt, "%%([-+ #0]*%d*%.?%d*)([%a%%])") do
      if conv ~= "%" then
        i = i + 1
        local v = args[i]
        if ties and (conv == "f" or conv == "F") and type(v) == "number" then
          local y = tie_fix(spec, v)
          if y ~= v then args[i] = y changed = true end
        elseif not ties and mtype(v) == "float" and find("diouxXc", conv, 1, true) then
          -- LuaJIT converts with a C cast: out-of-range values give the
          -- minimum integer instead of an error.
          if v ~= v or v >= 9.2233720368547758e18 or v < -9.2233720368547758e18 then
            args[i] = math.mininteger
            changed = true
          end
        end
      end
    end
    return changed
  end
  string.format = function(fmt, ...)
    local ok, r
    if type(fmt) == "string" and find(fmt, "f", 1, true) then
      local args = table.pack(...)
      if fix_args(fmt, args, true) then
        ok, r = pcall(format, fmt, table.unpack(args, 1, args.n))
      else
        ok, r = pcall(format, fmt, ...)
      end
    else
      ok, r = pcall(format, fmt, ...)
    end
    if ok then return r end
    if type(fmt) == "string" then
      local args = table.pack(...)
      fix_args(fmt, args, true)
      if fix_args(fmt, args, false) then
        local ok2, r2 = pcall(format, fmt, table.unpack(args, 1, args.n))
        if ok2 then return r2 end
      end
    end
    if type(r) == "string" then r = gsub(r, "^compat:%d+: ", "") end
    error(r, 2)
  end
end
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
