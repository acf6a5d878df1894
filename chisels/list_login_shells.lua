-- list_login_shells: the login shell id of the last execve that matches.
-- rchisel bundled chisel. As sysdig's chisel does, the id is printed once
-- for each of the three things it remembers (id, container name and id)
-- that is set.

description = "List the IDs of the login sessions. Optionally, the list can be filtered to include only the sessions that contain a specific command. The session IDs listed by this chisel can be used as filters for the spy_users chisel. This chisel is compatible with containers using the sysdig -pc or -pcontainer argument, otherwise no container information will be shown.";
short_description = "List the login shell IDs";
category = "Security";

args =
{
	{
		name = "command",
		description = "If this parameter is specified, only the login shells that contain commands including the given string in their name will be listed. * will match any command name.",
		argtype = "string",
		optional = true
	},
	{
		name = "arguments",
		description = "If this parameter is specified, only the login shells that contain commands including the given string in their arguments will be listed",
		argtype = "string",
		optional = true
	},
}

local str = require("rchisel_common").str

local command, arguments -- Lua patterns, nil = any
local found = {}         -- sid, cname, cid of the last match
local with_container = false
local f = {}

function on_set_arg(name, val)
	if name == "command" then
		if val ~= "*" then
			command = val
		end
	elseif name == "arguments" then
		arguments = val
	end
	return true
end

function on_init()
	for _, name in ipairs({ "proc.loginshellid", "evt.arg.exe", "evt.arg.args", "container.name",
			"container.id" }) do
		f[name] = chisel.request_field(name)
	end
	with_container = sysdig.is_print_container_data()
	chisel.set_filter("evt.type=execve")
	return true
end

function on_event()
	local sid = evt.field(f["proc.loginshellid"])
	local exe = evt.field(f["evt.arg.exe"])
	if not (sid and exe) then
		return true
	end
	if command and string.find(exe, command) == nil then
		return true
	end
	local a = evt.field(f["evt.arg.args"])
	if arguments and a and string.find(a, arguments) == nil then
		return true
	end
	found = { sid, evt.field(f["container.name"]), evt.field(f["container.id"]) }
	return true
end

function on_capture_end()
	if command then
		print("Shells containing " .. command .. ":")
	else
		print("All shells:")
	end
	for i = 1, 3 do
		if found[i] ~= nil then
			if with_container then
				print(str(found[1]) .. " " .. str(found[2]) .. " " .. str(found[3]))
			else
				print(str(found[1]))
			end
		end
	end
end
