-- list_views: the csysdig views (v_*.lua) in a folder, loaded and listed
-- from their view_info tables. Hidden from -cl (it is not a sysdig chisel).
-- Run it on any capture: rchisel -r CAP -c list_views [FOLDER]
-- (default /usr/share/sysdig/chisels); it stops at the first event.

description = "Loads every csysdig view (v_*.lua) of a folder and lists each view's id, name and description (from its view_info table). Views that fail to load are listed with the error."
short_description = "List csysdig views"
category = "Misc"
hidden = true

args =
{
	{
		name = "folder",
		description = "The folder holding the v_*.lua views (default /usr/share/sysdig/chisels)",
		argtype = "string",
		optional = true
	},
}

local folder = "/usr/share/sysdig/chisels"

function on_set_arg(name, val)
	folder = val
	return true
end

-- Each view runs in its own environment (globals read through to _G).
local function load_view(path)
	local env = setmetatable({}, { __index = _G })
	local chunk, err = loadfile(path, "t", env)
	if chunk == nil then
		return nil, err
	end
	local ok, e = pcall(chunk)
	if not ok then
		return nil, tostring(e)
	end
	if type(env.view_info) ~= "table" then
		return nil, "no view_info table"
	end
	return env.view_info
end

function on_capture_start()
	local list = io.popen("ls -1 '" .. folder .. "' 2>/dev/null")
	local names = {}
	for line in list:lines() do
		if string.match(line, "^v_.*%.lua$") then
			names[#names + 1] = line
		end
	end
	list:close()
	table.sort(names)
	for _, name in ipairs(names) do
		local vi, err = load_view(folder .. "/" .. name)
		if vi then
			print(string.format("%-22s %-28s %s", tostring(vi.id), tostring(vi.name),
				tostring(vi.description or "")))
		else
			print(string.format("%-22s failed to load: %s", name, err))
		end
	end
	print(#names .. " views")
	return true
end

function on_event()
	sysdig.end_capture()
	return true
end
