description = "string.format battery (vendored Lua)"; short_description = "fmt battery"; category = "misc"; args = {}
local function p(...) print(pcall(string.format, ...)) end
function on_init()
  local specs = {"%d","%i","%5d","%-5d","%05d","%+d","% d","%.9d","%.0d","%5.3d","%-+8.4d","%--5d","%0-5d","%99d","%100d","%.99d","%.100d","%5.d","%-.3i","% +d","%x","%c"}
  local vals = {0, 1, -1, 42, -42, 1234567890123, math.maxinteger, math.mininteger, 2.5, -2.5, 0/0, 1e300, "17", "0x10", " 8 ", "2.0", "2.5", "abc", nil, true, {}}
  for _, f in ipairs(specs) do
    for i = 1, #vals + 2 do p(f, vals[i]) end
    p(f)
  end
  local svals = {"", "a", "hello world", string.rep("x", 99), string.rep("y", 100), string.rep("z", 300), "a\0b", 12, 1.5, -0.0, 2^63, nil, true, false}
  for _, f in ipairs({"%s", "%5s", "%-5s", "%.2s", "%10.3s", "%-10.3s", "%.0s", "%s|%s", "%100s", "%-99s", "%.99s", "%5.1s|"}) do
    for i = 1, #svals + 1 do p(f, svals[i], svals[i]) end
  end
  p("abc %% def %d xyz %s%s%s tail", 5, "a", "b", "c")
  p("no items at all, just text")
  p("")
  p("%")
  p("%d %d", 1)
  p("%5", 1)
  p(string.rep("ab%d-", 200), table.unpack((function() local t = {} for i=1,200 do t[i]=i end return t end)()))
  p(string.rep("q", 5000) .. "%s" .. string.rep("r", 3000), string.rep("s", 2000))
  local t = setmetatable({}, {__tostring = function() return "TT" end})
  p("%s|%5s", t, t)
  p("%d) 0.%.9d %s (%d) > %s %s", 12.0, 0, "proc", 55.0, "read", "fd=3 size=10")
  p("%d) %d.%.9d %s (%d) < %s %s", 12.0, 1234567890 / 1000000000, 1234567890 % 1000000000, "proc", 55.0, "read", "res=0")
  return false
end
